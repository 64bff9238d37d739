package dev.xssab.cli;

import dev.xssab.audit.AuditSettings;
import dev.xssab.broker.BrokerSettings;
import dev.xssab.config.SettingsCatalog;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.registry.RegistrySettings;
import dev.xssab.ui.UiSettings;
import java.util.List;
import java.util.Map;

/**
 * Every setting of {@code ./xssab}: each module's own declarations, in the order the
 * configuration table lists them (after the common ones), and the UI's addresses of the other
 * services, derived from their declared ports so that each port is typed once.
 */
public final class XssabSettings {
    public static final SettingsCatalog CATALOG = new SettingsCatalog(List.of(BrokerSettings.GROUP, RegistrySettings.GROUP,
            GatewaySettings.GROUP, ExplainerSettings.GROUP, AuditSettings.GROUP, AggregatesSettings.GROUP, UiSettings.GROUP,
            ClientSettings.GROUP), Map.of(
                    UiSettings.AGGREGATES_URL, UiSettings.aggregatesUrlFrom(AggregatesSettings.HTTP_PORT),
                    UiSettings.HEALTH_URLS, UiSettings.healthUrlsFrom(List.of(RegistrySettings.METRICS_PORT,
                            GatewaySettings.METRICS_PORT, ExplainerSettings.METRICS_PORT, AuditSettings.METRICS_PORT,
                            AggregatesSettings.METRICS_PORT))));

    private XssabSettings() {}
}
