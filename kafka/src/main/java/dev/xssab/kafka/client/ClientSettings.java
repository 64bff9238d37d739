package dev.xssab.kafka.client;

import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The settings of a client that submits requests ({@link PipelineClient}), declared once, and read through typed getters. */
public final class ClientSettings {
    public static final Setting CLIENT_ID = new Setting("requests.client.id", "--client-id", Type.STRING, "xssab-cli",
            Setting.NON_EMPTY, "The clientId written into each request (self-declared; recorded as"
                    + " unauthenticated unless the request came through the client's own authenticated topic).");
    public static final Setting PRINCIPAL = new Setting("requests.principal", "--principal", Type.STRING, null, null,
            "The SASL user this client authenticates as. When set, requests go to that"
                    + " user's own request topic, which only it may write (ACL), so the audit records who submitted"
                    + " them as an authenticated principal.");

    public static final SettingGroup GROUP = new SettingGroup("Clients that submit requests (submit, demo, evaluate, ui replay)",
            List.of(CLIENT_ID, PRINCIPAL));

    private final ServiceConfig config;

    public ClientSettings(ServiceConfig config) {
        this.config = config;
    }

    public String clientId() {
        return config.string(CLIENT_ID);
    }

    /** The SASL user requests are submitted as, or empty for the shared request topic. */
    public Optional<String> principal() {
        return Optional.ofNullable(config.optional(PRINCIPAL));
    }
}
