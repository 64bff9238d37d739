package dev.xssab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived settings are derived: a port is declared once, and what points at it follows. */
class SettingsTest {
    @Test
    void theUiFindsEveryServiceAtItsDeclaredPort() {
        ServiceConfig c = ServiceConfig.load(null, Map.of(), Map.of());
        assertEquals(List.of("registry=http://127.0.0.1:9405/health/ready", "gateway=http://127.0.0.1:9401/health/ready",
                "explainer=http://127.0.0.1:9402/health/ready", "audit=http://127.0.0.1:9403/health/ready",
                "aggregates=http://127.0.0.1:9404/health/ready"), c.list(Settings.UI_HEALTH_URLS));
        assertEquals("http://127.0.0.1:" + Settings.AGGREGATES_HTTP_PORT.defaultValue(), c.string(Settings.UI_AGGREGATES_URL));
    }
}
