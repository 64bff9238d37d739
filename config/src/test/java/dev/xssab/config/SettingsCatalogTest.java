package dev.xssab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A catalog gathers the modules' declarations, refuses a key or flag declared twice, and derives what follows from others. */
class SettingsCatalogTest {
    private static final Setting PORT = new Setting("shop.port", "--shop-port", Type.INT, 8000, Setting.PORT, "Port of the shop.");
    private static final Setting SHOP_URL = new Setting("till.shop.url", "--till-shop-url", Type.STRING, null, null, "The shop.");
    private static final SettingGroup SHOP = new SettingGroup("shop", List.of(PORT));
    private static final SettingGroup TILL = new SettingGroup("till", List.of(SHOP_URL));
    private static final SettingsCatalog CATALOG = new SettingsCatalog(List.of(SHOP, TILL),
            Map.of(SHOP_URL, others -> "http://127.0.0.1:" + others.integer(PORT)));

    @Test
    void aDerivedSettingFollowsTheSettingItIsDerivedFrom() {
        assertEquals("http://127.0.0.1:8000", ServiceConfig.load(CATALOG, null, Map.of(), Map.of()).string(SHOP_URL));
        assertEquals("http://127.0.0.1:8100",
                ServiceConfig.load(CATALOG, null, Map.of("XSSAB_SHOP_PORT", "8100"), Map.of()).string(SHOP_URL));
        assertEquals("http://shop:1", ServiceConfig.load(CATALOG, null, Map.of("XSSAB_SHOP_PORT", "8100"),
                Map.of("till.shop.url", "http://shop:1")).string(SHOP_URL), "a value given wins over the derived one");
    }

    @Test
    void theDocumentationShowsWhatADerivedSettingDerivesTo() {
        assertTrue(ConfigDoc.markdown(CATALOG).contains("| `till.shop.url` | `--till-shop-url` | `XSSAB_TILL_SHOP_URL` | string |"
                + " `http://127.0.0.1:8000` |"), ConfigDoc.markdown(CATALOG));
    }

    @Test
    void aKeyOrFlagDeclaredTwiceFailsNamingIt() {
        Setting sameKey = new Setting("shop.port", "--other", Type.INT, 1, null, "again");
        Setting sameFlag = new Setting("other.port", "--shop-port", Type.INT, 1, null, "again");
        assertEquals("setting shop.port is declared twice", assertThrows(ConfigException.class,
                () -> new SettingsCatalog(List.of(SHOP, new SettingGroup("x", List.of(sameKey))), Map.of())).getMessage());
        assertEquals("flag --shop-port is declared by shop.port and other.port", assertThrows(ConfigException.class,
                () -> new SettingsCatalog(List.of(SHOP, new SettingGroup("x", List.of(sameFlag))), Map.of())).getMessage());
    }

    @Test
    void aDerivedSettingHasNoDefaultOfItsOwn() {
        assertThrows(ConfigException.class, () -> new SettingsCatalog(List.of(SHOP), Map.of(PORT, others -> "1")));
    }
}
