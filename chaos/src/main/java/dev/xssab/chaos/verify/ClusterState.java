package dev.xssab.chaos.verify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * What the cluster says of its transactions after quiescence.
 *
 * @param openTransactions transactional ids still Ongoing, PrepareCommit, PrepareAbort or fencing, with their state
 * @param transactionVersion the finalized {@code transaction.version} feature level, empty when not finalized
 */
public record ClusterState(List<String> openTransactions, Optional<Short> transactionVersion) {
    /** States of a finished (or never begun) transaction: anything else hangs. */
    private static final Set<TransactionState> SETTLED = Set.of(TransactionState.EMPTY, TransactionState.COMPLETE_COMMIT,
            TransactionState.COMPLETE_ABORT);

    public ClusterState {
        openTransactions = List.copyOf(openTransactions);
    }

    /** Lists and describes every transaction, and reads the finalized features. */
    public static ClusterState read(Admin admin) throws ExecutionException, InterruptedException {
        Collection<TransactionListing> listed = admin.listTransactions().all().get();
        List<String> ids = listed.stream().filter(t -> !SETTLED.contains(t.state())).map(TransactionListing::transactionalId).toList();
        List<String> open = new ArrayList<>();
        if (!ids.isEmpty()) {
            // The listing may be a moment old: describe again, and count only what is still unsettled.
            Map<String, TransactionDescription> described = admin.describeTransactions(ids).all().get();
            described.forEach((id, d) -> {
                if (!SETTLED.contains(d.state())) {
                    open.add(id + " " + d.state() + " since " + d.transactionStartTimeMs() + " on " + d.topicPartitions());
                }
            });
        }
        FinalizedVersionRange tv = admin.describeFeatures().featureMetadata().get().finalizedFeatures().get("transaction.version");
        return new ClusterState(open, Optional.ofNullable(tv).map(FinalizedVersionRange::maxVersionLevel));
    }
}
