package dev.invoka.node;

import dev.invoka.node.runtime.FunctionRuntimes;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a node is built from besides its settings: the clock and the function runtimes. Production uses
 * {@link #defaults()}; tests pass fakes.
 */
public record Wiring(Clock clock, FunctionRuntimes runtimes) {

    public static Wiring defaults() {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "invoka-runtime-timers");
            t.setDaemon(true);
            return t;
        });
        return new Wiring(Clock.systemUTC(), FunctionRuntimes.defaults(timers));
    }
}
