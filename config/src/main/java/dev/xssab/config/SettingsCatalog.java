package dev.xssab.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every setting one program knows, gathered from the modules that declare them, in the order the
 * documentation lists them; and the settings whose value, when none is given, is derived from
 * others (the UI's health URLs from the services' metrics ports), so that a port is typed once.
 * A key or flag declared twice fails here, at start.
 */
public final class SettingsCatalog {
    /** How a derived setting's value follows from the others, when no source gives it. */
    @FunctionalInterface
    public interface Derivation {
        /** The value as a string, parsed and validated as if it had been given. */
        String derive(ServiceConfig others);
    }

    private final List<SettingGroup> groups;
    private final Map<String, Setting> byKey;
    private final Map<Setting, Derivation> derived;
    private final ConfigDef definition;

    /**
     * @param moduleGroups the modules' own groups; the {@link CommonSettings#EVERY_SERVICE} groups come first, always
     * @param derived settings without a default of their own, each with what derives its value
     */
    public SettingsCatalog(List<SettingGroup> moduleGroups, Map<Setting, Derivation> derived) {
        List<SettingGroup> all = new ArrayList<>(CommonSettings.EVERY_SERVICE);
        all.addAll(moduleGroups);
        this.groups = List.copyOf(all);
        this.byKey = index(this.groups);
        this.derived = new LinkedHashMap<>(derived);
        for (Setting s : derived.keySet()) {
            if (byKey.get(s.key()) != s || s.defaultValue() != null) {
                throw new ConfigException(s.key() + " is derived, so it must be declared here and have no default of its own");
            }
        }
        this.definition = define(all());
    }

    public List<SettingGroup> groups() {
        return groups;
    }

    /** Every setting, in the documentation's order. */
    public List<Setting> all() {
        List<Setting> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.settings()));
        return all;
    }

    /** The setting with this key, or empty. */
    public Optional<Setting> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** What derives this setting's value, or empty for a setting with a default (or none) of its own. */
    public Optional<Derivation> derivation(Setting s) {
        return Optional.ofNullable(derived.get(s));
    }

    /**
     * The value a setting has when no source gives one: its declared default or, for a derived
     * setting, what it derives to when every other setting has its default.
     */
    public Object defaultValue(Setting s) {
        Derivation d = derived.get(s);
        return d == null ? s.defaultValue() : d.derive(ServiceConfig.load(this, null, Map.of(), Map.of()));
    }

    /** The same settings as Kafka's ConfigDef: parsing, type conversion and validation. */
    ConfigDef definition() {
        return definition;
    }

    private static ConfigDef define(List<Setting> settings) {
        ConfigDef def = new ConfigDef();
        for (Setting s : settings) {
            if (s.defaultValue() == ConfigDef.NO_DEFAULT_VALUE) {
                def.define(s.key(), s.type(), ConfigDef.Importance.MEDIUM, s.doc());
            } else {
                def.define(s.key(), s.type(), s.defaultValue(), s.validator(), ConfigDef.Importance.MEDIUM, s.doc());
            }
        }
        return def;
    }

    private static Map<String, Setting> index(List<SettingGroup> groups) {
        Map<String, Setting> byKey = new HashMap<>();
        Map<String, Setting> byFlag = new HashMap<>();
        for (SettingGroup g : groups) {
            for (Setting s : g.settings()) {
                if (byKey.put(s.key(), s) != null) {
                    throw new ConfigException("setting " + s.key() + " is declared twice");
                }
                Setting other = byFlag.put(s.flag(), s);
                if (other != null) {
                    throw new ConfigException("flag " + s.flag() + " is declared by " + other.key() + " and " + s.key());
                }
                if (s.key().startsWith(CommonSettings.KAFKA_PREFIX)) {
                    throw new ConfigException(s.key() + ": the prefix " + CommonSettings.KAFKA_PREFIX
                            + " is reserved for Kafka client settings");
                }
            }
        }
        return byKey;
    }
}
