package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ledger's sends grouped by requestId, and the fault each send was made under. */
final class SentIds {
    /** Every send of one id, first send first. */
    record Sent(String id, List<Ledger.Send> sends) {
        long count(Ledger.Status status) {
            return sends.stream().filter(s -> s.status() == status).count();
        }

        boolean hasResend() {
            return sends.stream().anyMatch(Ledger.Send::resend);
        }

        /** The earliest acknowledged send: the latest moment the id can have entered the system. */
        Optional<Ledger.Send> firstAcked() {
            return sends.stream().filter(s -> s.status() == Ledger.Status.ACKED).min(Comparator.comparingLong(Ledger.Send::sentAtMs));
        }
    }

    private SentIds() {}

    static Map<String, Sent> of(List<Ledger.Send> sends) {
        Map<String, List<Ledger.Send>> byId = new LinkedHashMap<>();
        for (Ledger.Send s : sends) {
            byId.computeIfAbsent(s.requestId(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Sent> out = new LinkedHashMap<>();
        byId.forEach((id, list) -> {
            List<Ledger.Send> ordered = new ArrayList<>(list);
            ordered.sort(Comparator.comparing(Ledger.Send::resend).thenComparingLong(Ledger.Send::sentAtMs));
            out.put(id, new Sent(id, Collections.unmodifiableList(ordered)));
        });
        return out;
    }

    /**
     * The fault window that was held when {@code send} was made: the one of its name that spans
     * the send (a schedule may hold the same fault twice), else the latest of that name begun
     * before it; empty outside every fault or when the ledger has no such window.
     */
    static Optional<Ledger.FaultWindow> heldAt(Ledger.Send send, List<Ledger.FaultWindow> faults) {
        if (send.fault() == null) {
            return Optional.empty();
        }
        List<Ledger.FaultWindow> named = faults.stream().filter(f -> f.name().equals(send.fault())).toList();
        Optional<Ledger.FaultWindow> spanning = named.stream()
                .filter(f -> f.startMs() <= send.sentAtMs() && send.sentAtMs() <= f.healedMs()).findFirst();
        if (spanning.isPresent()) {
            return spanning;
        }
        return named.stream().filter(f -> f.startMs() <= send.sentAtMs()).max(Comparator.comparingLong(Ledger.FaultWindow::startMs));
    }
}
