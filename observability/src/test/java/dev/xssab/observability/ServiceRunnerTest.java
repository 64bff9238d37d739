package dev.xssab.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The exit codes and the stop path of the one shutdown-hook runner. */
class ServiceRunnerTest {
    @Test
    void aServiceThatFailsExitsWithOneAndAStoppedOneWithZero() throws Exception {
        assertEquals(1, ServiceRunner.runUntilSigterm(new Service() {
            @Override
            public boolean run() {
                return true;
            }

            @Override
            public void stop() {}
        }));
        Service waiting = Service.alreadyRunning();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
            try {
                return ServiceRunner.runUntilSigterm(waiting);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        waiting.stop();
        assertEquals(0, code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aLoopRunsOnTheCallingThreadAndItsExceptionReachesTheCaller() {
        Thread caller = Thread.currentThread();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceRunner.runUntilSigterm(Service.loop(() -> {
            throw new IllegalStateException(Thread.currentThread() == caller ? "on the caller" : "elsewhere");
        }, () -> { })));
        assertEquals("on the caller", e.getMessage());
    }
}
