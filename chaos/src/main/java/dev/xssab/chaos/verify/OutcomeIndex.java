package dev.xssab.chaos.verify;

import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The committed outcomes grouped by requestId. A decision is a result or a rejection for any
 * reason but DUPLICATE_REQUEST: the gateway rejects an id as duplicate only when it has already
 * let an earlier send of it through, so a DUPLICATE_REQUEST is always a later send's outcome and
 * never the id's decision (the earlier send's result or rejection is).
 */
final class OutcomeIndex {
    private static final String NO_ID = "<no requestId>";

    final Map<String, List<Scanned<VerificationResult>>> results;
    final Map<String, List<Scanned<Rejection>>> decisiveRejections;
    final Map<String, List<Scanned<Rejection>>> duplicateRejections;
    final Map<String, List<Scanned<ExplanationFigures>>> explanations;
    final Map<String, List<Scanned<Boolean>>> alignedPairs;

    OutcomeIndex(Outcomes o) {
        results = byId(o.results());
        decisiveRejections = byId(o.rejections().stream().filter(r -> r.value().getReason() != ReasonCode.DUPLICATE_REQUEST).toList());
        duplicateRejections = byId(o.rejections().stream().filter(r -> r.value().getReason() == ReasonCode.DUPLICATE_REQUEST).toList());
        explanations = byId(o.explanations());
        alignedPairs = byId(o.alignedPairs());
    }

    private static <T> Map<String, List<Scanned<T>>> byId(List<Scanned<T>> records) {
        Map<String, List<Scanned<T>>> m = new HashMap<>();
        for (Scanned<T> s : records) {
            m.computeIfAbsent(s.requestId() == null ? NO_ID : s.requestId(), k -> new java.util.ArrayList<>()).add(s);
        }
        return m;
    }

    /** Results plus decisive rejections of {@code id}. */
    int decisions(String id) {
        return results.getOrDefault(id, List.of()).size() + decisiveRejections.getOrDefault(id, List.of()).size();
    }

    int duplicates(String id) {
        return duplicateRejections.getOrDefault(id, List.of()).size();
    }

    /** Every id that any outcome record names. */
    Set<String> idsWithOutcomes() {
        Set<String> ids = new TreeSet<>(results.keySet());
        ids.addAll(decisiveRejections.keySet());
        ids.addAll(duplicateRejections.keySet());
        ids.addAll(explanations.keySet());
        return ids;
    }

    /**
     * When {@code id} was first decided. A record's timestamp alone is not enough: the gateway's
     * Streams records carry their input's timestamp (the send), so the later of the record's
     * timestamp and the time its payload says it was decided is taken.
     */
    OptionalLong decidedAtMs(String id) {
        OptionalLong a = earliest(results.getOrDefault(id, List.of()), r -> r.getCompletedAtMs().toEpochMilli());
        OptionalLong b = earliest(decisiveRejections.getOrDefault(id, List.of()), r -> r.getRejectedAtMs().toEpochMilli());
        if (a.isPresent() && b.isPresent()) {
            return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
        }
        return a.isPresent() ? a : b;
    }

    private static <T> OptionalLong earliest(List<Scanned<T>> records, Function<T, Long> payloadTime) {
        return records.stream().mapToLong(s -> Math.max(s.timestampMs(), payloadTime.apply(s.value()))).min();
    }
}
