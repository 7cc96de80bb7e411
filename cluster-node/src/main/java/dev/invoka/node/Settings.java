package dev.invoka.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Invoka's settings, read once at boot from the {@code invoka} section (see reference.conf).
 *
 * @param httpHost           interface of the HTTP server
 * @param httpPort           port of the HTTP server (0 picks a free one)
 * @param dataDir            folder of the embedded journal
 * @param region             region in ARNs
 * @param account            account in ARNs
 * @param timeScale          factor on every async lifecycle duration
 * @param accountConcurrency account-wide concurrent executions
 * @param askTimeout         how long an API call waits for an entity
 * @param invokeGrace        time a sync invoke waits beyond the function timeout
 * @param async              settings of the asynchronous lifecycle
 * @param indexPollInterval  how often the function index polls the journal's function events
 * @param indexCommitLag     how long a journal transaction may stay open and its function event still be polled
 */
public record Settings(
        String httpHost,
        int httpPort,
        Path dataDir,
        String region,
        String account,
        double timeScale,
        int accountConcurrency,
        Duration askTimeout,
        Duration invokeGrace,
        Async async,
        Duration indexPollInterval,
        Duration indexCommitLag) {

    /**
     * Settings of the asynchronous lifecycle ({@code invoka.async}).
     *
     * @param payloadBudgetBytes       payload bytes a function keeps in memory; beyond it payloads stay in the journal
     * @param recentOutcomes           finished invocations a function remembers for the status endpoint
     * @param deliveryMaxAttempts      tries to deliver a record before it is abandoned (and counted)
     * @param deliveryBackoffMs        first delay between delivery tries (doubles, scaled)
     * @param deliveryBackoffMaxMs     longest delay between delivery tries (scaled)
     * @param maxConcurrentDeliveries  records a function delivers at once
     * @param sweepBatch               discards journaled in one write
     * @param idlePassivation          how long an entity with nothing to do stays in memory
     * @param snapshotEvery            fewest events between two snapshots of a function
     * @param snapshotMaxQueue         largest queue a snapshot is taken of (0 in the config: one event per 256
     *                                 bytes of maximum heap, see {@link #snapshotMaxQueueFor})
     * @param handoffWait              how long a function handed to another node (or passivated) waits for
     *                                 its running attempts to finish before it stops them
     */
    public record Async(long payloadBudgetBytes, int recentOutcomes, int deliveryMaxAttempts, long deliveryBackoffMs,
                        long deliveryBackoffMaxMs, int maxConcurrentDeliveries, int sweepBatch,
                        Duration idlePassivation, long snapshotEvery, long snapshotMaxQueue, Duration handoffWait) {

        static Async fromConfig(Config c) {
            return new Async(c.getBytes("payload-memory-budget"), c.getInt("recent-outcomes"),
                    c.getInt("delivery-max-attempts"), c.getDuration("delivery-backoff").toMillis(),
                    c.getDuration("delivery-backoff-max").toMillis(), c.getInt("max-concurrent-deliveries"),
                    c.getInt("sweep-batch"), c.getDuration("idle-passivation"), c.getLong("snapshot-every"),
                    snapshotMaxQueueFor(c.getLong("snapshot-max-queue"), Runtime.getRuntime().maxMemory()),
                    c.getDuration("handoff-wait"));
        }

        /**
         * The configured largest snapshotted queue, or, for 0, one event per 256 bytes of heap (2,097,152 for
         * 512 MiB). A snapshot is written from memory (its packed events, then their serialized copies, about
         * 26 bytes an event each) next to the queue itself (about 300 bytes an event), so a queue this deep does
         * not fit the heap: in effect every queue that fits is snapshotted. A lower limit trades recovery time
         * (the events after the last snapshot are replayed) for the memory a snapshot takes while written.
         */
        static long snapshotMaxQueueFor(long configured, long maxHeapBytes) {
            return configured > 0 ? configured : maxHeapBytes / 256;
        }
    }

    /** Concurrency that must always stay unreserved (AWS: 100). */
    public static final int MIN_UNRESERVED_CONCURRENCY = 100;

    public static Settings fromConfig(Config root) {
        Config c = root.getConfig("invoka");
        double timeScale = c.getDouble("time-scale");
        if (!(timeScale > 0)) throw new IllegalArgumentException("invoka.time-scale must be > 0, was " + timeScale);
        return new Settings(
                c.getString("http-host"),
                c.getInt("http-port"),
                Path.of(c.getString("data-dir")).toAbsolutePath().normalize(),
                c.getString("region"),
                c.getString("account"),
                timeScale,
                c.getInt("account-concurrency"),
                c.getDuration("ask-timeout"),
                c.getDuration("invoke-grace"),
                Async.fromConfig(c.getConfig("async")),
                c.getDuration("function-index.poll-interval"),
                c.getDuration("function-index.commit-lag"));
    }

    /** A lifecycle duration (real milliseconds at time scale 1) as it runs on this node. */
    public long scaled(long ms) {
        return Math.round(ms * timeScale);
    }
}
