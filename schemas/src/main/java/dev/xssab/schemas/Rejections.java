package dev.xssab.schemas;

import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.Stage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The one way a stage builds a {@link Rejection}: the gateway and the explainer both reject, and a
 * replay from the dead-letter topic needs the same fields from either (where the record was read,
 * its raw key and value).
 */
public final class Rejections {
    private Rejections() {}

    /**
     * Where a rejected record was read, with its bytes as they arrived.
     *
     * @param partition -1 where the stage cannot tell (a punctuation, not a record, is being processed)
     * @param offset -1 where the stage cannot tell
     */
    public record Source(String topic, int partition, long offset, String key, byte[] value) {}

    /** A rejection of the record read from {@code source}, at {@code stage}, for {@code reason}. */
    public static Rejection of(Stage stage, Source source, String requestId, ReasonCode reason, String message,
            Map<String, String> tags, Instant rejectedAt) {
        return Rejection.newBuilder()
                .setRequestId(requestId)
                .setReason(reason)
                .setStage(stage)
                .setMessage(message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key().getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
                .setRejectedAtMs(rejectedAt)
                .setTags(tags)
                .build();
    }
}
