package dev.xssab.testkit;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Reads a RocksDB-backed store's size as Kafka Streams reports it: RocksDB's own key estimate. */
public final class StoreSize {
    private StoreSize() {}

    /** The exact number of entries a window store holds now (all retained segments). */
    public static long windowEntries(org.apache.kafka.streams.state.WindowStore<?, ?> store) {
        long n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    /**
     * The sum of {@code estimate-num-keys} over the metrics whose tags name {@code store}
     * (a window store reports its live segments together).
     *
     * @throws AssertionError listing the store metrics there are, if none is found
     */
    public static long estimatedKeys(Map<MetricName, ? extends Metric> metrics, String store) {
        long sum = 0;
        boolean found = false;
        StringBuilder seen = new StringBuilder();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName n = e.getKey();
            if (n.group().equals("stream-state-metrics")) {
                seen.append(n.name()).append(n.tags()).append('\n');
            }
            if (n.name().equals("estimate-num-keys") && n.tags().containsValue(store)) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number number) {
                    sum += number.longValue();
                    found = true;
                }
            }
        }
        if (!found) {
            throw new AssertionError("no estimate-num-keys metric for store " + store + "; state metrics:\n" + seen);
        }
        return sum;
    }
}
