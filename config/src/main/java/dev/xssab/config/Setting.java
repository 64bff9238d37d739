package dev.xssab.config;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One declared setting: its key (the name in a properties file), its command-line flag, its
 * type, default, validation and documentation. Each module declares its own, in a
 * {@link SettingGroup} beside the typed getters that read them. The environment variable is
 * derived from the key ({@code explainer.batch} is {@code XSSAB_EXPLAINER_BATCH}), so there is
 * nothing else to keep in step.
 *
 * @param defaultValue {@link ConfigDef#NO_DEFAULT_VALUE} for a required setting, {@code null} for
 *     an optional one with no value (or one whose value a {@link SettingsCatalog} derives)
 * @param validator {@code null} when the type says everything
 */
public record Setting(String key, String flag, ConfigDef.Type type, Object defaultValue, ConfigDef.Validator validator,
        String doc) {

    /** Non-empty strings. */
    public static final ConfigDef.Validator NON_EMPTY = new ConfigDef.NonEmptyString();
    /** TCP ports, 0 for any free one. */
    public static final ConfigDef.Validator PORT = ConfigDef.Range.between(0, 65535);

    public Setting {
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("flag of " + key + " must start with --");
        }
    }

    /** The environment variable that sets it. */
    public String env() {
        return "XSSAB_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True for passwords and other secrets: never printed, never logged. */
    public boolean secret() {
        return type == ConfigDef.Type.PASSWORD;
    }
}
