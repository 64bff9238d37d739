package dev.xssab.chaos.verify;

import java.util.List;

/**
 * Everything the verifier gathered from the running system, to be judged against the ledger by
 * {@link Verdict#evaluate}. Plain data, so that the checks can be tested without a broker.
 *
 * @param outcomes the scan of the outcome topics
 * @param audit the audit's rows, or null to skip the audit check
 * @param cluster the cluster's transactions and features
 * @param notQuiescent what still lagged or held a transaction open when the wait for quiescence gave up; empty when reached
 */
public record Evidence(Outcomes outcomes, AuditSnapshot audit, ClusterState cluster, List<String> notQuiescent) {
    public Evidence {
        notQuiescent = List.copyOf(notQuiescent);
    }
}
