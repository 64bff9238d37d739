package dev.xssab.cli.service;

import dev.xssab.audit.AuditSettings;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.SettingGroup;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import dev.xssab.ui.UiService;
import dev.xssab.ui.UiSettings;
import dev.xssab.ui.UiUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab ui}: the web UI, in the foreground until SIGTERM. */
@Command(name = "ui", description = "Run the web UI: live decisions, requests with their maps, rejections with replay,"
        + " evaluations, models, health.", subcommands = UiAddUserCommand.class)
public final class UiCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, AuditSettings.GROUP, UiSettings.GROUP,
                ClientSettings.GROUP);
    }

    /** Where the UI's users are: the declared file, or the local stack's generated one. */
    static Path credentialsFile(ServiceConfig c) {
        return new UiSettings(c).credentialsFile().orElse(XssabHome.dir().resolve("run").resolve("ui-credentials"));
    }

    @Override
    public Integer call() throws Exception {
        ServiceConfig c = service.config();
        UiService.Options options = options(c);
        Topics topics = service.topics();
        try (UiService ui = UiService.open(service.clients(), topics, AuditCommand.database(c), options)) {
            ui.start();
            System.err.println("ui: " + ui.url());
            return ServiceRunner.runUntilSigterm(ui);
        }
    }

    /** The UI's users, the services whose health it shows, where it replays to and where it listens. */
    private static UiService.Options options(ServiceConfig c) throws IOException {
        Path credentials = credentialsFile(c);
        if (!Files.isRegularFile(credentials)) {
            throw new UserException("no UI users: " + credentials + " does not exist (xssab up creates it; or give"
                    + " ui.credentials.file; xssab ui add-user adds users)");
        }
        UiSettings settings = new UiSettings(c);
        String replayTopic = new ClientSettings(c).principal().map(Topics::requestsFrom).orElse(Topics.REQUESTS);
        return new UiService.Options(replayTopic, settings.aggregatesUrl(), settings.healthUrls(), UiUsers.read(credentials),
                settings.host(), settings.port(), settings.tls());
    }
}
