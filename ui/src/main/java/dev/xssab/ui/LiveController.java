package dev.xssab.ui;

import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationResult;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JsonMapper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.xssab.kafka.TopicFollower;
import dev.xssab.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The live page's data: the newest results (GET /api/results/recent) and each new one as a
 * server-sent {@code result} event (/api/stream/results), both from following the results topics
 * (the shared one and every client's own).
 */
final class LiveController implements AutoCloseable {
    private static final int RECENT = 200;

    /** One result as the live page shows it. */
    record ResultRow(String requestId, String completedAt, String model, double score, double threshold, String thresholdSource,
            String decision, boolean explained, long latencyMs, String submittedBy, boolean authenticated) {
        static ResultRow of(VerificationResult v) {
            return new ResultRow(v.getRequestId(), v.getCompletedAtMs().toString(), v.getModelId(), v.getScore(), v.getThreshold(),
                    v.getThresholdSource(), v.getDecision().name(), v.getExplained(),
                    Duration.between(v.getSubmittedAtMs(), v.getCompletedAtMs()).toMillis(), v.getSubmittedBy(),
                    v.getSubmitterAuthenticated());
        }
    }

    private final UiServer.Sources sources;
    private final JsonMapper json;
    private final Deque<ResultRow> recent = new ArrayDeque<>();
    private final List<SseClient> listeners = new CopyOnWriteArrayList<>();
    private final TopicFollower<String, byte[]> results;

    LiveController(UiServer.Sources sources, JsonMapper json) {
        this.sources = sources;
        this.json = json;
        this.results = new TopicReader<>(sources.clients(), Topics.RESULT_TOPICS, StringDeserializer::new, ByteArrayDeserializer::new)
                .follow(TopicReader.From.END, "ui-follow-results", this::onResult);
    }

    /** GET /api/results/recent: newest first. */
    void recent(Context ctx) {
        List<ResultRow> rows;
        synchronized (recent) {
            rows = List.copyOf(recent);
        }
        ctx.json(rows);
    }

    /** /api/stream/results: a listener until its connection closes. */
    void listen(SseClient client) {
        client.keepAlive();
        listeners.add(client);
        client.onClose(() -> listeners.remove(client));
    }

    private void onResult(ConsumerRecord<String, byte[]> r) {
        ResultRow row = ResultRow.of(sources.topics().results().valueSerde().deserializer().deserialize(r.topic(), r.value()));
        synchronized (recent) {
            recent.addFirst(row);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        String event = json.toJsonString(row, ResultRow.class); // once, not once per listener
        for (SseClient client : listeners) {
            try {
                client.sendEvent("result", event);
            } catch (RuntimeException e) {
                listeners.remove(client);
            }
        }
    }

    @Override
    public void close() {
        results.close();
    }
}
