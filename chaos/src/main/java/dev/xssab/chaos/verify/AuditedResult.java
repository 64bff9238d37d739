package dev.xssab.chaos.verify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.audit.AuditStore;
import dev.xssab.schemas.avro.VerificationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a decision that both the results topic and the audit's verification_result table
 * hold, in one shape so that the two can be compared field by field.
 *
 * @param completedAtMs milliseconds: the topic's timestamp-millis, the database's timestamp truncated
 */
public record AuditedResult(String requestId, String modelId, double score, double threshold, String decision, boolean explained,
        long completedAtMs, Map<String, String> tags, String submittedBy, boolean submitterAuthenticated, String thresholdSource) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The audited fields of a result read from the topic. */
    public static AuditedResult of(VerificationResult r) {
        return new AuditedResult(r.getRequestId(), r.getModelId(), r.getScore(), r.getThreshold(), r.getDecision().name(),
                r.getExplained(), r.getCompletedAtMs().toEpochMilli(), new TreeMap<>(r.getTags()), r.getSubmittedBy(),
                r.getSubmitterAuthenticated(), r.getThresholdSource());
    }

    /** The same fields of a row read back from the audit. */
    public static AuditedResult of(AuditStore.Row row) {
        return new AuditedResult(row.requestId(), row.modelId(), row.score(), row.threshold(), row.decision(), row.explained(),
                row.completedAt().toEpochMilli(), parseTags(row.tagsJson()), row.submittedBy(), row.submitterAuthenticated(),
                row.thresholdSource());
    }

    private static Map<String, String> parseTags(String json) {
        try {
            return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException("the audit's tags_json is not a JSON object of strings: " + json, e);
        }
    }
}
