package dev.xssab.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the load generator knows of each send: the only ground truth the verifier compares the
 * topics and the audit with. Thread-safe; a send is recorded once, when its fate is known.
 */
public final class Ledger {
    /** What the producer's callback said of one send. */
    public enum Status {
        /** Acknowledged by the cluster (acks=all): it must be decided exactly once. */
        ACKED,
        /** The send failed after it may have landed (a timeout, a lost connection): decided at most once. */
        INDETERMINATE,
        /** Refused before it could have landed (serialization, a record too large, an authorization error): never decided. */
        FAILED
    }

    /**
     * One send of one request.
     *
     * @param resend true for the deliberate second send of an id, which the gateway must reject as DUPLICATE_REQUEST
     * @param explain whether the request asked for an explanation
     * @param sentAtMs wall-clock time of the send
     * @param fault the fault held when it was sent, or null outside every fault
     */
    public record Send(String requestId, boolean resend, boolean explain, Status status, long sentAtMs, String fault) {}

    /**
     * One fault as it was held: from {@code startMs} (injected) to {@code healedMs} (healed).
     *
     * @param name the fault's name in the schedule (e.g. {@code kill-txn-coordinator})
     */
    public record FaultWindow(String name, long startMs, long healedMs) {}

    private final List<Send> sends = Collections.synchronizedList(new ArrayList<>());
    private final List<FaultWindow> faults = Collections.synchronizedList(new ArrayList<>());

    public void record(Send send) {
        sends.add(send);
    }

    public void record(FaultWindow fault) {
        faults.add(fault);
    }

    /** Every send so far, in the order their fate became known. */
    public List<Send> sends() {
        synchronized (sends) {
            return List.copyOf(sends);
        }
    }

    public List<FaultWindow> faults() {
        synchronized (faults) {
            return List.copyOf(faults);
        }
    }
}
