package dev.xssab.explainer.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.explainer.OrtScorer;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The explainer's "models" readiness: every served model, explainer and fast scorer, must be open. */
class ServedModelsTest {
    private static final Topics TOPICS = Topics.create(Map.of("schema.registry.url", "mock://served-models-test"));

    /** The fake explainer, closable so that its problem() follows. */
    static final class Closable extends ExplainerLoopCommitTest.Fixed {
        private boolean closed;

        @Override
        public String problem() {
            return closed ? "fixed is closed" : null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aClosedExplainerOrFastScorerMakesTheLoopNotReady() {
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        Closable explainer = new Closable();
        OrtScorer fast = new OrtScorer(spec, ModelStore.fromEnvironment(), 1);
        ExplainerLoop loop = new ExplainerLoop(new ExplainerLoopSettings(KafkaClients.plaintext("127.0.0.1:9"), "g", "g-0", 1,
                Duration.ofMillis(1)), TOPICS, List.of(new ExplainerLoop.ServedModel(explainer, fast)),
                m -> 0.5, XssabMetrics.unregistered(), LoopClients.of(KafkaClients.plaintext("127.0.0.1:9")));
        assertNull(loop.modelsProblem(), "both open");
        fast.close();
        assertNotNull(fast.problem());
        assertTrue(loop.modelsProblem().contains(spec.id()), loop.modelsProblem());
        explainer.close();
        assertTrue(loop.modelsProblem().contains("fixed is closed"), "the explainer is checked first");
    }
}
