package dev.xssab.cli.service;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditService;
import dev.xssab.audit.AuditSettings;
import dev.xssab.audit.AuditStore;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.SettingGroup;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.render.ExplanationRecords;
import dev.xssab.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab audit run|list|show} (and purge|erase|rotate-key, in {@link AuditDataCommands}): the audit sink and queries of what it stored. */
@Command(name = "audit", description = "The audit store: run the sink, list decisions, redraw an explanation, erase face images.",
        subcommands = {AuditCommand.Run.class, AuditCommand.ListDecisions.class, AuditCommand.Show.class,
            AuditDataCommands.Purge.class, AuditDataCommands.Erase.class, AuditDataCommands.RotateKey.class})
public final class AuditCommand {
    /** Where the store is: PostgreSQL by JDBC URL, or the embedded H2 file database. */
    static AuditDatabase database(ServiceConfig c) {
        return new AuditSettings(c).database(XssabHome.dir().resolve("audit"));
    }

    static AuditStore open(ServiceConfig c) {
        return database(c).open();
    }

    @Command(name = "run", description = "Consume results and explanations into the store until SIGTERM.")
    static final class Run implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(CommonSettings.KAFKA, CommonSettings.OBSERVABILITY, CommonSettings.SCHEMA_REGISTRY_CLIENT,
                    AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            Topics topics = service.topics();
            AuditSettings settings = new AuditSettings(service.config());
            try (ServiceEndpoint endpoint = service.endpoint("audit", settings.metricsPort());
                    AuditService audit = AuditService.open(service.meteredClients(endpoint),
                            topics, settings.groupId(), settings.database(XssabHome.dir().resolve("audit")), settings.imagesRetention())) {
                service.readyWhen(endpoint, audit.checks());
                System.err.println("audit sink: " + Topics.RESULTS + " + " + Topics.EXPLANATIONS + " -> store");
                return ServiceRunner.runUntilSigterm(audit);
            }
        }
    }

    @Command(name = "list", description = "Recent decisions, newest first.")
    static final class ListDecisions implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Option(names = "--limit", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit = 20;

        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            try (AuditStore db = open(service.config())) {
                System.out.printf("%-38s %-9s %8s %8s %-7s %-10s %-8s %-24s %s%n", "request", "model", "score", "t", "t from",
                        "decision", "explained", "completed", "submitted by");
                for (AuditStore.Row r : db.recent(limit)) {
                    System.out.printf(Locale.ROOT, "%-38s %-9s %8.4f %8.4f %-7s %-10s %-8s %-24s %s%n", r.requestId(), r.modelId(),
                            r.score(), r.threshold(), r.thresholdSource(), r.decision(), r.explained() ? "yes" : "no",
                            r.completedAt(), r.submittedBy() == null ? "-" : r.submittedBy()
                                    + (r.submitterAuthenticated() ? " (authenticated)" : " (unauthenticated)"));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Redraw the stored explanation of a request (same panel as explain).")
    static final class Show implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Parameters(paramLabel = "REQUEST_ID")
        String requestId;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            try (AuditStore db = open(service.config())) {
                var row = db.result(requestId).orElseThrow(() -> new UserException("no stored decision for " + requestId));
                AuditDataCommands.refuseErased(db, row);
                var x = db.explanation(requestId).orElseThrow(() -> new UserException("request " + requestId
                        + " was decided (" + row.decision() + ", score " + row.score() + ") but not explained"));
                var files = ExplanationRecords.render(x, out);
                System.out.printf(Locale.ROOT, "%s: %s, score %.4f, threshold %.4f; panel %s%n", requestId, row.decision(),
                        row.score(), row.threshold(), files.get("panel"));
            }
            return 0;
        }
    }
}
