package dev.xssab.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Moving a consumer back to what its group has committed. */
public final class CommittedOffsets {
    private CommittedOffsets() {}

    /**
     * Seeks every owned partition to its committed offset (to the beginning where nothing is
     * committed yet), so that the records of a failed attempt are fetched again.
     */
    public static void rewind(Consumer<?, ?> consumer) {
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned);
        for (TopicPartition tp : owned) {
            OffsetAndMetadata at = committed.get(tp);
            if (at != null) {
                consumer.seek(tp, at.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }
}
