package dev.xssab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FenceCountTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void aFencingNowAndThenIsRetriedAndThreeWithinTheWindowStop() {
        FenceCount fences = new FenceCount();
        List<Boolean> stop = new ArrayList<>();
        for (long t : new long[] {0, 6 * MINUTE, 12 * MINUTE, 13 * MINUTE, 14 * MINUTE}) {
            stop.add(fences.fencedAgain(t));
        }
        assertEquals(List.of(false, false, false, false, true), stop, "one per failover is healed; a duplicate id keeps fencing");
    }
}
