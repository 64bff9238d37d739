package dev.xssab.cli.smoke;

import static dev.xssab.cli.smoke.SmokeChecks.fileWritten;
import static dev.xssab.cli.smoke.SmokeChecks.ok;
import static dev.xssab.cli.smoke.SmokeChecks.userError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.audit.AuditKeys;
import dev.xssab.audit.AuditStore;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xssab audit rotate-key} as a user runs it, on an embedded store holding a real face pair:
 * it refuses to run without a key file, creates one and seals the plaintext row, rotates to k2 on
 * the next run, and {@code audit show} redraws the sealed explanation with the key file and refuses
 * it, in one line, without the file or with another.
 */
class AuditRotateKeyTest {
    @TempDir
    Path tmp;

    @Test
    void rotateKeySealsThenRewrapsAndShowOpensOnlyWithTheKeyFile() throws Exception {
        String url = AuditStore.embeddedUrl(tmp.resolve("audit"));
        try (AuditStore store = AuditStore.open(url, "sa", "")) {
            store.upsert(result("r1"));
            store.upsert(explanation("r1"));
            store.commit();
        }
        List<String> db = List.of("--jdbc-url", url);
        String keys = tmp.resolve("keys.properties").toString();
        userError("no audit.encryption.key.file set: give --audit-key-file FILE", args(db, "audit", "rotate-key"));

        assertEquals("created the key file " + keys + " (mode 600)\nrewrapped 0, sealed 1, key now k1\nback up " + keys
                + ": without it the stored images cannot be opened\n", ok(args(db, "audit", "rotate-key", "--audit-key-file", keys)).out());
        assertEquals("rewrapped 1, sealed 0, key now k2\n", ok(args(db, "audit", "rotate-key", "--audit-key-file", keys)).out().lines()
                .findFirst().orElseThrow() + "\n");

        ok(args(db, "audit", "show", "r1", "--out", tmp.resolve("panel").toString(), "--audit-key-file", keys));
        fileWritten(tmp.resolve("panel").resolve("panel.png"), "audit show with the key file");
        userError("explanation r1 is sealed with key k2, but no audit.encryption.key.file is set to open it",
                args(db, "audit", "show", "r1", "--out", tmp.resolve("none").toString()));
        String other = AuditKeys.create(tmp.resolve("other.properties")).file().toString();
        userError("explanation r1 is sealed with key k2, which the key file " + other + " does not have",
                args(db, "audit", "show", "r1", "--out", tmp.resolve("other").toString(), "--audit-key-file", other));
    }

    private static String[] args(List<String> db, String... command) {
        return CliRun.join(List.of(command), db.toArray(String[]::new)).toArray(String[]::new);
    }

    private static VerificationResult result(String id) {
        return VerificationResult.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43)
                .setDecision(Decision.MATCH).setExplained(true).setTags(Map.of()).setSubmittedAtMs(Instant.ofEpochMilli(1000))
                .setCompletedAtMs(Instant.ofEpochMilli(2000)).setGatewayMs(1).setModelMs(2).setBatchSize(1).build();
    }

    private static Explanation explanation(String id) throws Exception {
        float[] map = new float[112 * 112];
        map[7] = 0.25f;
        DirectionMaps m = DirectionMaps.newBuilder().setSPlus(0.8).setSMinus(-0.1).setPositive(ByteBuffer.wrap(Float16.encode(map)))
                .setNegative(ByteBuffer.wrap(Float16.encode(map))).setCombined(ByteBuffer.wrap(Float16.encode(map))).build();
        return Explanation.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43).setTags(Map.of())
                .setWidth(112).setHeight(112).setProbeFace(ByteBuffer.wrap(rgb("img1.jpg")))
                .setReferenceFace(ByteBuffer.wrap(rgb("img2.jpg"))).setProbe(m).setReference(m).build();
    }

    /** A shared deepface photo at the aligned size, as interleaved RGB. */
    private static byte[] rgb(String photo) throws Exception {
        BufferedImage scaled = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        scaled.createGraphics().drawImage(ImageIO.read(SharedData.deepface().resolve(photo).toFile()), 0, 0, 112, 112, null);
        byte[] out = new byte[112 * 112 * 3];
        for (int i = 0; i < 112 * 112; i++) {
            int p = scaled.getRGB(i % 112, i / 112);
            out[3 * i] = (byte) (p >> 16);
            out[3 * i + 1] = (byte) (p >> 8);
            out[3 * i + 2] = (byte) p;
        }
        return out;
    }
}
