package dev.xssab.audit;

import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Float16;
import dev.xssab.schemas.avro.DirectionMaps;
import dev.xssab.schemas.avro.Explanation;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;

/** Explanations of real faces (the shared deepface photos, aligned size, interleaved RGB) with non-zero maps, as the sink stores them. */
final class FacePayloads {
    final byte[] probeRgb;
    final byte[] referenceRgb;

    FacePayloads() throws Exception {
        Path faces = SharedData.deepface();
        probeRgb = rgb(faces.resolve("img1.jpg"));
        referenceRgb = rgb(faces.resolve("img2.jpg"));
    }

    static VerificationResult result(String id) {
        return VerificationResult.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43)
                .setDecision(Decision.MATCH).setExplained(true).setTags(Map.of()).setSubmittedAtMs(Instant.ofEpochMilli(1000))
                .setCompletedAtMs(Instant.ofEpochMilli(2000)).setGatewayMs(1).setModelMs(2).setBatchSize(1).build();
    }

    Explanation explanation(String id) {
        float[] map = new float[112 * 112];
        for (int i = 0; i < map.length; i += 97) {
            map[i] = (i % 7) / 7f;
        }
        DirectionMaps m = DirectionMaps.newBuilder().setSPlus(0.8).setSMinus(-0.1).setPositive(ByteBuffer.wrap(Float16.encode(map)))
                .setNegative(ByteBuffer.wrap(Float16.encode(map))).setCombined(ByteBuffer.wrap(Float16.encode(map))).build();
        return Explanation.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(0.7).setThreshold(0.43).setTags(Map.of())
                .setWidth(112).setHeight(112).setProbeFace(ByteBuffer.wrap(probeRgb)).setReferenceFace(ByteBuffer.wrap(referenceRgb))
                .setProbe(m).setReference(m).build();
    }

    /** Stores the decision and the explanation of {@code id}, and commits. */
    void store(AuditStore store, String id) throws Exception {
        store.upsert(result(id));
        store.upsert(explanation(id));
        store.commit();
    }

    /** A real face photo, scaled to the aligned size (112 x 112) as interleaved RGB. */
    static byte[] rgb(Path photo) throws Exception {
        BufferedImage scaled = new BufferedImage(112, 112, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = scaled.createGraphics();
        g.drawImage(ImageIO.read(photo.toFile()), 0, 0, 112, 112, null);
        g.dispose();
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
