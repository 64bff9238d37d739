package dev.xssab.chaos.verify;

import dev.xssab.schemas.avro.Stage;
import dev.xssab.schemas.avro.VerificationResult;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks of the outcomes against each other, the audit and the cluster. Pure functions of
 * the scanned data: each returns its violations and never stops at the first.
 */
final class ConsistencyChecks {
    /** The transaction protocol the exactly-once claims rest on (KIP-890's server-side defence). */
    static final short TRANSACTION_VERSION = 2;

    private ConsistencyChecks() {}

    /** Every result marked explained has exactly one explanation, and every explanation such a result. */
    static List<String> explanations(OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        Set<String> ids = new TreeSet<>(index.explanations.keySet());
        ids.addAll(index.results.keySet());
        for (String id : ids) {
            boolean explained = index.results.getOrDefault(id, List.of()).stream().anyMatch(r -> r.value().getExplained());
            int n = index.explanations.getOrDefault(id, List.of()).size();
            if (explained && n == 0) {
                v.add(id + ": result marked explained, no explanation");
            } else if (!explained && n > 0) {
                v.add(id + ": " + n + " explanation(s) without an explained result (orphan)");
            } else if (n > 1) {
                v.add(id + ": " + n + " explanations (duplicated)");
            }
        }
        return v;
    }

    /**
     * The gateway passes an id to the explainer at most once, and each pair it passes ends in
     * exactly one explainer outcome (a result or an EXPLAINER-stage rejection), and vice versa.
     */
    static List<String> alignedPairs(OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        Set<String> ids = new TreeSet<>(index.alignedPairs.keySet());
        ids.addAll(index.results.keySet());
        index.decisiveRejections.forEach((id, rs) -> {
            if (rs.stream().anyMatch(r -> r.value().getStage() == Stage.EXPLAINER)) {
                ids.add(id);
            }
        });
        for (String id : ids) {
            int pairs = index.alignedPairs.getOrDefault(id, List.of()).size();
            long explainerOutcomes = index.results.getOrDefault(id, List.of()).size() + index.decisiveRejections
                    .getOrDefault(id, List.of()).stream().filter(r -> r.value().getStage() == Stage.EXPLAINER).count();
            if (pairs != 1 || explainerOutcomes != 1) {
                v.add(id + ": " + pairs + " aligned pair(s), " + explainerOutcomes + " explainer outcome(s); expected 1 and 1");
            }
        }
        return v;
    }

    /**
     * The audit holds each committed result and explanation, field by field. Duplicates are the
     * Kafka checks' business (the audit upserts, so it shows the last record of an id).
     */
    static List<String> audit(OutcomeIndex index, AuditSnapshot audit) {
        List<String> v = new ArrayList<>();
        index.results.forEach((id, rs) -> {
            VerificationResult last = rs.stream().max(Comparator.comparingLong(Scanned::offset)).orElseThrow().value();
            compare(v, "result " + id, AuditedResult.of(last), audit.results().get(id));
        });
        audit.results().keySet().stream().filter(id -> !index.results.containsKey(id)).sorted()
                .forEach(id -> v.add("result " + id + ": audit row without a committed result"));
        index.explanations.forEach((id, es) -> compare(v, "explanation " + id,
                es.stream().max(Comparator.comparingLong(Scanned::offset)).orElseThrow().value(), audit.explanations().get(id)));
        if (audit.explanationRows() != index.explanations.size()) {
            v.add("explanation: " + audit.explanationRows() + " audit rows for " + index.explanations.size() + " explained ids");
        }
        return v;
    }

    /** Adds to {@code v} the fields in which the audit's {@code actual} differs from the topic's {@code expected}. */
    static <R extends Record> void compare(List<String> v, String what, R expected, R actual) {
        if (actual == null) {
            v.add(what + ": missing from the audit");
            return;
        }
        List<String> fields = new ArrayList<>();
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object e = value(c, expected);
            Object a = value(c, actual);
            if (!Objects.equals(e, a)) {
                fields.add(c.getName() + " topic=" + e + " audit=" + a);
            }
        }
        if (!fields.isEmpty()) {
            v.add(what + ": " + String.join(", ", fields));
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No transaction is left open after quiescence. */
    static List<String> hangingTransactions(ClusterState cluster) {
        return cluster.openTransactions().stream().map(t -> "hanging transaction: " + t).toList();
    }

    /** The cluster runs transaction protocol version 2. */
    static List<String> transactionVersion(ClusterState cluster) {
        return cluster.transactionVersion().filter(tv -> tv == TRANSACTION_VERSION).isPresent() ? List.of()
                : List.of("finalized transaction.version is " + cluster.transactionVersion().map(String::valueOf).orElse("unset")
                        + ", expected " + TRANSACTION_VERSION);
    }

    /** At least one aborted record was seen: the proof that the faults reached transactions at all. */
    static List<String> abortedRecordsSeen(Outcomes outcomes) {
        return outcomes.abortedRecords() > 0 ? List.of()
                : List.of("no record of an aborted transaction on " + outcomes.abortedByTopic().keySet() + ": the faults never hit a transaction");
    }
}
