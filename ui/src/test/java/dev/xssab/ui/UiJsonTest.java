package dev.xssab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.schemas.Decision;
import dev.xssab.schemas.avro.VerificationResult;
import io.javalin.json.JavalinJackson;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON the page script reads, as Javalin's mapper writes the controllers' records: the field
 * names app.js uses, nulls written out, and optional parts left out rather than null.
 */
class UiJsonTest {
    private final JavalinJackson json = new JavalinJackson();

    @Test
    void aResultRowIsTheLivePagesAndTheEventStreamsShape() {
        VerificationResult v = VerificationResult.newBuilder().setRequestId("r-1").setModelId("fr_feature").setScore(0.5)
                .setThreshold(0.43).setThresholdSource("live").setDecision(Decision.MATCH).setExplained(true).setTags(Map.of())
                .setSubmittedAtMs(Instant.ofEpochMilli(1000)).setCompletedAtMs(Instant.ofEpochMilli(1250)).setGatewayMs(1)
                .setModelMs(1).setBatchSize(1).build();
        assertEquals("{\"requestId\":\"r-1\",\"completedAt\":\"1970-01-01T00:00:01.250Z\",\"model\":\"fr_feature\",\"score\":0.5,"
                + "\"threshold\":0.43,\"thresholdSource\":\"live\",\"decision\":\"MATCH\",\"explained\":true,\"latencyMs\":250,"
                + "\"submittedBy\":null,\"authenticated\":false}",
                json.toJsonString(LiveController.ResultRow.of(v), LiveController.ResultRow.class));
    }

    @Test
    void aModelWithoutAPublishedThresholdHasNoLiveField() {
        ModelsController.ModelView model = new ModelsController.ModelView("m", "112x112", 512, 0.4, "EER", null);
        assertEquals("{\"id\":\"m\",\"input\":\"112x112\",\"embeddingSize\":512,\"defaultThreshold\":0.4,\"defaultSource\":\"EER\"}",
                json.toJsonString(model, ModelsController.ModelView.class));
    }

    @Test
    void aServiceThatDidNotAnswerHasOnlyItsError() {
        HealthController.ServiceHealth down = new HealthController.ServiceHealth("aggregates", "http://127.0.0.1:1/health/ready",
                false, null, null, null, "no answer: null");
        assertEquals("{\"service\":\"aggregates\",\"url\":\"http://127.0.0.1:1/health/ready\",\"ready\":false,"
                + "\"error\":\"no answer: null\"}", json.toJsonString(down, HealthController.ServiceHealth.class));
    }
}
