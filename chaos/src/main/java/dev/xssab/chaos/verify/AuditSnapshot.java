package dev.xssab.chaos.verify;

import dev.xssab.audit.AuditStore;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the audit database holds, read back through {@link AuditStore}: every decision row, and
 * the explanations of the ids the explanations topic names plus how many explanation rows there
 * are in all (a row for any other id shows as a count mismatch).
 */
public record AuditSnapshot(Map<String, AuditedResult> results, Map<String, ExplanationFigures> explanations, int explanationRows) {

    public AuditSnapshot {
        results = Map.copyOf(results);
        explanations = Map.copyOf(explanations);
    }

    /** Reads the audit; {@code explainedIds} are the ids whose explanation rows are fetched. */
    public static AuditSnapshot read(AuditStore store, Collection<String> explainedIds) throws SQLException {
        Map<String, AuditedResult> results = new HashMap<>();
        for (AuditStore.Row row : store.recent(Integer.MAX_VALUE)) {
            results.put(row.requestId(), AuditedResult.of(row));
        }
        Map<String, ExplanationFigures> explanations = new HashMap<>();
        for (String id : explainedIds) {
            store.explanation(id).ifPresent(e -> explanations.put(id, ExplanationFigures.of(e)));
        }
        return new AuditSnapshot(results, explanations, store.count("explanation"));
    }
}
