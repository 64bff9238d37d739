package dev.xssab.cli.service;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.render.ExplanationRecords;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.Settings;
import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditService;
import dev.xssab.audit.AuditStore;
import dev.xssab.models.XssabHome;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.observability.ServiceRunner;
import dev.xssab.schemas.Topics;
import java.nio.file.Path;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab audit run|list|show}: the audit sink and queries of what it stored. */
@Command(name = "audit", description = "The audit store: run the sink, list decisions, redraw an explanation.",
        subcommands = {AuditCommand.Run.class, AuditCommand.ListDecisions.class, AuditCommand.Show.class})
public final class AuditCommand {
    /** Where the store is: PostgreSQL by JDBC URL, or the embedded H2 file database. */
    static AuditDatabase database(ServiceConfig c) {
        String url = c.optional(Settings.AUDIT_JDBC_URL);
        String jdbc = url != null ? url : AuditStore.embeddedUrl(XssabHome.dir().resolve("audit"));
        return new AuditDatabase(jdbc, c.string(Settings.AUDIT_JDBC_USER), c.secret(Settings.AUDIT_JDBC_PASSWORD));
    }

    static AuditStore open(ServiceConfig c) {
        return database(c).open();
    }

    @Command(name = "run", description = "Consume results and explanations into the store until SIGTERM.")
    static final class Run implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Mixin
        ServiceOptions service;

        @Override
        public Set<Setting.Group> settingGroups() {
            return EnumSet.of(Setting.Group.KAFKA, Setting.Group.OBSERVABILITY, Setting.Group.SCHEMA_REGISTRY_CLIENT,
                    Setting.Group.AUDIT);
        }

        @Override
        public Integer call() throws Exception {
            Topics topics = service.topics();
            try (ServiceEndpoint endpoint = service.endpoint("audit", Settings.AUDIT_METRICS_PORT);
                    AuditService audit = AuditService.open(service.meteredClients(endpoint),
                            topics, service.config().string(Settings.AUDIT_GROUP_ID), database(service.config()))) {
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
        public Set<Setting.Group> settingGroups() {
            return EnumSet.of(Setting.Group.AUDIT);
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
        public Set<Setting.Group> settingGroups() {
            return EnumSet.of(Setting.Group.AUDIT);
        }

        @Override
        public Integer call() throws Exception {
            try (AuditStore db = open(service.config())) {
                var row = db.result(requestId).orElseThrow(() -> new UserException("no stored decision for " + requestId));
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
