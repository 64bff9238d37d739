package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.SettingGroup;
import dev.xssab.ui.UiRole;
import dev.xssab.ui.UiSettings;
import dev.xssab.ui.UiUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab ui add-user NAME --role R}: a new UI user with a generated password, which is printed once. */
@Command(name = "add-user", description = "Add a UI user with a generated password (printed once as user:password; the users"
        + " file keeps only its hash).")
public final class UiAddUserCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Parameters(paramLabel = "NAME", description = "The user's name (no colon, no space).")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "viewer (decisions, scores, rejections, evaluations, models,"
            + " health), auditor (also faces and maps) or operator (also replay) (default: ${DEFAULT-VALUE}).")
    String role = "viewer";

    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(UiSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        Path file = UiCommand.credentialsFile(service.config());
        String password;
        try {
            password = UiUsers.add(file, name, UiRole.parse(role));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        // On stdout alone, so that a script can take it (curl -u "$(xssab ui add-user ...)"); the UI reads the file when it starts.
        System.out.println(name + ":" + password);
        System.err.println("added UI user '" + name + "' (" + role + ") to " + file + "; the password is shown once, the file keeps"
                + " only its hash; a running UI sees the user after its restart");
        return 0;
    }
}
