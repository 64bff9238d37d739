package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.config.ServiceConfig;
import dev.xssab.ui.UiSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived settings are derived: a port is declared once, in its module, and what points at it follows. */
class XssabSettingsTest {
    @Test
    void theUiFindsEveryServiceAtItsDeclaredPort() {
        UiSettings ui = new UiSettings(ServiceConfig.load(XssabSettings.CATALOG, null, Map.of(), Map.of()));
        assertEquals(List.of("registry=http://127.0.0.1:9405/health/ready", "gateway=http://127.0.0.1:9401/health/ready",
                "explainer=http://127.0.0.1:9402/health/ready", "audit=http://127.0.0.1:9403/health/ready",
                "aggregates=http://127.0.0.1:9404/health/ready"),
                ui.healthUrls().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertEquals(URI.create("http://127.0.0.1:8082"), ui.aggregatesUrl());
    }

    @Test
    void movingAServicesPortMovesWhereTheUiLooksForIt() {
        UiSettings ui = new UiSettings(ServiceConfig.load(XssabSettings.CATALOG, null,
                Map.of("XSSAB_GATEWAY_METRICS_PORT", "9501", "XSSAB_AGGREGATES_HTTP_PORT", "8182"), Map.of()));
        assertEquals(URI.create("http://127.0.0.1:9501/health/ready"), ui.healthUrls().get("gateway"));
        assertEquals(URI.create("http://127.0.0.1:8182"), ui.aggregatesUrl());
    }

    @Test
    void givenUrlsWinOverTheDerivedOnes() {
        UiSettings ui = new UiSettings(ServiceConfig.load(XssabSettings.CATALOG, null, Map.of("XSSAB_GATEWAY_METRICS_PORT", "9501"),
                Map.of("ui.health.urls", "gateway=https://gw.example:1/health/ready")));
        assertEquals(Map.of("gateway", URI.create("https://gw.example:1/health/ready")), ui.healthUrls());
    }
}
