package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.Topics;
import dev.xssab.ui.UiService;
import dev.xssab.ui.UiUsers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab ui}: the web UI, in the foreground until SIGTERM. */
@Command(name = "ui", description = "Run the web UI: live decisions, requests with their maps, rejections with replay,"
        + " evaluations, models, health.")
public final class UiCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.AUDIT, Setting.Group.UI,
                Setting.Group.CLIENT);
    }

    /** Where the UI's users are: the declared file, or the local stack's generated one. */
    static Path credentialsFile(ServiceConfig c) {
        String file = c.optional(Settings.UI_CREDENTIALS_FILE);
        return file != null ? Path.of(file) : XssabHome.dir().resolve("run").resolve("ui-credentials");
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        UiService.Options options = options(c);
        Topics topics = service.topics();
        try (UiService ui = UiService.open(service.clients(), topics, AuditCommand.database(c), options)) {
            ui.start();
            System.err.println("ui: http://" + c.string(Settings.UI_HOST) + ":" + ui.port() + "/");
            return ServiceRunner.runUntilSigterm(ui);
        }
    }

    /** The UI's users, the services whose health it shows, where it replays to and where it listens. */
    private static UiService.Options options(ServiceConfig c) throws IOException {
        Path credentials = credentialsFile(c);
        if (!Files.isRegularFile(credentials)) {
            throw new UserException("no UI users: " + credentials + " does not exist (xssab up creates it; or give"
                    + " ui.credentials.file, lines of user:password)");
        }
        String principal = c.optional(Settings.CLIENT_PRINCIPAL);
        return new UiService.Options(principal == null ? Topics.REQUESTS : Topics.requestsFrom(principal),
                URI.create(c.string(Settings.UI_AGGREGATES_URL)), healthUrls(c), UiUsers.read(credentials), c.string(Settings.UI_HOST),
                c.integer(Settings.UI_PORT));
    }

    /** {@code ui.health.urls}: service=URL entries, in their order. */
    private static Map<String, URI> healthUrls(ServiceConfig c) {
        Map<String, URI> health = new LinkedHashMap<>();
        for (String entry : c.list(Settings.UI_HEALTH_URLS)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new UserException(Settings.UI_HEALTH_URLS.key() + ": expected service=URL, not " + entry);
            }
            health.put(entry.substring(0, eq), URI.create(entry.substring(eq + 1)));
        }
        return health;
    }
}
