package dev.invoka.chaos;

import java.io.PrintStream;
import java.util.List;

/**
 * The progress line: elapsed time, invokes sent and accepted, records received, ids still missing, the
 * summed queues and the faults so far. On a terminal it rewrites one line each second; otherwise (a log,
 * a test) it prints a line every five seconds.
 */
final class Progress {

    private final PrintStream out;
    private final LoadDriver driver;
    private final Ledger ledger;
    private final Timeline timeline;
    private final FaultInjector faults;
    private final long startMs;
    private final long durationMs;
    private final boolean terminal = System.console() != null;
    private volatile String phase = "load";
    private int ticks;

    Progress(PrintStream out, LoadDriver driver, Ledger ledger, Timeline timeline, FaultInjector faults,
             long startMs, long durationMs) {
        this.out = out;
        this.driver = driver;
        this.ledger = ledger;
        this.timeline = timeline;
        this.faults = faults;
        this.startMs = startMs;
        this.durationMs = durationMs;
    }

    /** Switches the line's phase label, e.g. to {@code drain} after the load. */
    void phase(String name) {
        phase = name;
    }

    synchronized void print() {
        ticks++;
        if (!terminal && ticks % 5 != 0) return;
        long t = (System.currentTimeMillis() - startMs) / 1000;
        Timeline.Sample s = timeline.last();
        String queue = s == null || s.depth() == null ? "?" : s.depth() + "/" + s.inFlight() + "/" + s.scheduledRetries()
                + "/" + s.undelivered();
        List<FaultInjector.Injected> done = faults.injected();
        String lastFault = done.isEmpty() ? "-" : done.get(done.size() - 1).kind() + " " + done.get(done.size() - 1).target();
        String line = String.format("[%-5s %4ds/%ds] sent %d accepted %d records %d missing %d queue(d/f/r/u) %s faults %d (last %s)",
                phase, t, durationMs / 1000, driver.sent(), driver.accepted(), ledger.recordCount(),
                ledger.missing().size(), queue, done.size(), lastFault);
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (terminal) out.println();
    }
}
