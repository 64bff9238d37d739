package dev.xssab.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.xssab.kafka.TopicFollower;
import dev.xssab.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The models page: each built-in model with its default threshold and, when an operator or a
 * calibration published one, the live threshold with its provenance (read-only here).
 */
final class ModelsController implements AutoCloseable {
    /** A model; {@code live} is left out when no threshold was published for it. */
    record ModelView(String id, String input, int embeddingSize, double defaultThreshold, String defaultSource,
            @JsonInclude(JsonInclude.Include.NON_NULL) LiveThreshold live) {}

    /** A published threshold and where it came from. */
    record LiveThreshold(double threshold, String setBy, String mode, String source, String dataset, String updatedAt) {
        static LiveThreshold of(ModelThreshold t) {
            return new LiveThreshold(t.getThreshold(), t.getSetBy(), t.getMode(), t.getSource(), t.getDataset(),
                    t.getUpdatedAtMs().toString());
        }
    }

    private final UiServer.Sources sources;
    private final Map<String, ModelThreshold> thresholds = new ConcurrentHashMap<>();
    private final TopicFollower<String, byte[]> follower;

    ModelsController(UiServer.Sources sources) {
        this.sources = sources;
        this.follower = new TopicReader<>(sources.clients(), Topics.THRESHOLDS, StringDeserializer::new, ByteArrayDeserializer::new)
                .follow(TopicReader.From.BEGINNING, "ui-follow-thresholds", this::onThreshold);
    }

    private void onThreshold(ConsumerRecord<String, byte[]> r) {
        if (r.value() != null) {
            ModelThreshold t = sources.topics().thresholds().valueSerde().deserializer().deserialize(r.topic(), r.value());
            thresholds.put(t.getModelId(), t);
        }
    }

    /** GET /api/models. */
    void models(Context ctx) {
        ctx.json(ModelCatalog.builtins().stream().map(this::view).toList());
    }

    private ModelView view(RecognitionModelSpec spec) {
        ModelThreshold live = thresholds.get(spec.id());
        return new ModelView(spec.id(), spec.width() + "x" + spec.height(), spec.embeddingSize(), spec.defaultThreshold(),
                spec.thresholdSource(), live == null ? null : LiveThreshold.of(live));
    }

    @Override
    public void close() {
        follower.close();
    }
}
