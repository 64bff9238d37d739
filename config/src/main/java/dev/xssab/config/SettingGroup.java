package dev.xssab.config;

import java.util.List;

/**
 * The settings one module declares, under the title the configuration table gives them. A
 * command that uses a group gets one flag per setting in it.
 *
 * @param title the heading in {@code xssab config --doc}, e.g. "xssab gateway"
 */
public record SettingGroup(String title, List<Setting> settings) {
    public SettingGroup {
        settings = List.copyOf(settings);
    }
}
