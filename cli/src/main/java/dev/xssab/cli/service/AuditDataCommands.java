package dev.xssab.cli.service;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditSettings;
import dev.xssab.audit.AuditStore;
import dev.xssab.audit.KeyRotation;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xssab audit purge|erase}: deleting the face images and relevance maps of stored
 * explanations while the decisions stay. Each prints what it removed, and that Kafka still holds
 * the records that carried the images until the topics' own retention deletes them. And
 * {@code audit rotate-key}, for the key file those images are sealed with.
 */
final class AuditDataCommands {
    static final String KAFKA_NOTE = "Kafka keeps the records that carried these images (results, explanations, aligned pairs, "
            + "rejections) until the topics' retention.ms deletes them.";

    private AuditDataCommands() {}

    /** For {@code audit show}: a request whose images were erased is a user error that says when and why. */
    static void refuseErased(AuditStore db, AuditStore.Row row) throws Exception {
        var erased = db.imagesErased(row.requestId());
        if (erased.isPresent()) {
            throw new UserException(String.format(Locale.ROOT, "request %s (%s, score %.4f): images erased on %s (%s)",
                    row.requestId(), row.decision(), row.score(), erased.get().at(), erased.get().why()));
        }
    }

    private static void printIds(List<String> ids) {
        ids.forEach(id -> System.out.println("  " + id));
    }

    @Command(name = "purge", description = "Erase the face images and maps stored longer ago than a duration; the decisions stay.")
    static final class Purge implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Option(names = "--older-than", required = true, paramLabel = "DURATION",
                description = "ISO-8601 duration, e.g. P30D or PT12H (the sink does this hourly at audit.images.retention).")
        String olderThan;

        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            Duration age = AuditSettings.positiveDuration(olderThan).orElseThrow(() -> new UserException("--older-than " + olderThan
                    + " is not an ISO-8601 duration longer than zero (e.g. P30D, PT12H)"));
            try (AuditStore db = AuditCommand.open(service.config())) {
                List<String> erased = db.purgeImagesOlderThan(age);
                System.out.println("erased the images and maps of " + erased.size() + " request(s) stored more than " + olderThan
                        + " ago" + (erased.isEmpty() ? "" : ":"));
                printIds(erased);
            }
            System.out.println("their decisions stay (xssab audit list). " + KAFKA_NOTE);
            return 0;
        }
    }

    @Command(name = "rotate-key", description = "Add a new key to the audit key file (made if missing), re-wrap every stored image's "
            + "data key under it and seal those stored unencrypted.")
    static final class RotateKey implements Callable<Integer>, ServiceOptions.UsesSettings {
        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            AuditDatabase database = AuditCommand.database(service.config());
            Setting keyFile = AuditSettings.ENCRYPTION_KEY_FILE;
            if (database.keyFile() == null) {
                throw new UserException("no " + keyFile.key() + " set: give " + keyFile.flag() + " FILE (or " + keyFile.env()
                        + "), the key file to add a key to, or to create");
            }
            KeyRotation.Outcome done = KeyRotation.rotate(database);
            if (done.created()) {
                System.out.println("created the key file " + done.file() + " (mode 600)");
            }
            System.out.println("rewrapped " + done.rewrapped() + ", sealed " + done.sealed() + ", key now " + done.keyId());
            if (!done.olderKeysInUse().isEmpty()) {
                System.out.println("rows stored meanwhile still use " + String.join(", ", done.olderKeysInUse())
                        + ": run rotate-key again before removing those keys from the file");
            }
            System.out.println("back up " + done.file() + ": without it the stored images cannot be opened");
            return 0;
        }
    }

    @Command(name = "erase", description = "Erase every stored face image and map of some requests (by id or by tag); the decisions stay.")
    static final class Erase implements Callable<Integer>, ServiceOptions.UsesSettings {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--request", arity = "1..*", paramLabel = "ID", description = "The requests, by id.")
            List<String> requests;

            @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Every request whose decision carries this tag, e.g. subject=X.")
            String tag;
        }

        @Mixin
        ServiceOptions service;

        @Override
        public List<SettingGroup> settingGroups() {
            return List.of(AuditSettings.GROUP);
        }

        @Override
        public Integer call() throws Exception {
            try (AuditStore db = AuditCommand.open(service.config())) {
                List<String> ids = which.requests != null ? which.requests : tagged(db, which.tag);
                List<String> erased = db.eraseImages(ids, which.requests != null ? "erase --request" : "erase --tag");
                System.out.println("erased the images and maps of " + erased.size() + " request(s)" + (erased.isEmpty() ? "" : ":"));
                printIds(erased);
                List<String> untouched = new ArrayList<>(ids);
                untouched.removeAll(erased);
                for (String id : untouched) {
                    var before = db.imagesErased(id);
                    System.out.println("  " + id + ": " + (before.isPresent()
                            ? "already erased on " + before.get().at() + " (" + before.get().why() + ")"
                            : "no stored images (no such request, or not explained)"));
                }
            }
            System.out.println("their decisions stay (xssab audit list). " + KAFKA_NOTE);
            return 0;
        }

        private static List<String> tagged(AuditStore db, String tag) throws Exception {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw new UserException("--tag " + tag + ": expected KEY=VALUE, e.g. subject=X");
            }
            List<String> ids = db.requestsTagged(tag.substring(0, eq), tag.substring(eq + 1));
            System.out.println(ids.size() + " request(s) tagged " + tag);
            return ids;
        }
    }
}
