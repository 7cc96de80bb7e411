package dev.invoka.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the run once a second for the report's charts: the ledger's running totals (accepted,
 * records, attempts) and the functions' queues summed over all functions ({@code GET
 * /_invoka/functions/{name}/queue}: depth, inFlight, scheduledRetries, undeliveredRecords; the largest
 * oldestAgeMs).
 *
 * <p>The totals are read when a sample starts, with its time, so rates stay right when reading the queues
 * is slow (a paused node makes each read wait for its timeout).
 *
 * <p>Contract: {@link #sample} is called by one thread (the runner's sampler); a queue field is null in
 * a sample when some function's queue could not be read (no node answered). {@link #samples()} is a copy,
 * safe to read at any time.
 */
final class Timeline {

    /** One sample, {@code tMs} after the start of the load. */
    record Sample(long tMs, long accepted, long records, long attempts, Long depth, Long inFlight,
                  Long scheduledRetries, Long undelivered, Long oldestAgeMs) {}

    private final Ledger ledger;
    private final LambdaClient client;
    private final List<String> functions;
    private final long startMs;
    private final List<Sample> samples = new ArrayList<>();

    Timeline(Ledger ledger, LambdaClient client, List<String> functions, long startMs) {
        this.ledger = ledger;
        this.client = client;
        this.functions = functions;
        this.startMs = startMs;
    }

    void sample() {
        long t = System.currentTimeMillis() - startMs;
        long accepted = ledger.acceptedCount();
        long records = ledger.recordCount();
        long attempts = ledger.attemptCount();
        long depth = 0;
        long inFlight = 0;
        long retries = 0;
        long undelivered = 0;
        long oldest = 0;
        boolean complete = true;
        for (String f : functions) {
            JsonNode q = client.queue(f);
            if (q == null) {
                complete = false;
                break;
            }
            depth += q.path("depth").asLong();
            inFlight += q.path("inFlight").asLong();
            retries += q.path("scheduledRetries").asLong();
            undelivered += q.path("undeliveredRecords").asLong();
            oldest = Math.max(oldest, q.path("oldestAgeMs").asLong());
        }
        Sample s = complete
                ? new Sample(t, accepted, records, attempts, depth, inFlight, retries, undelivered, oldest)
                : new Sample(t, accepted, records, attempts, null, null, null, null, null);
        synchronized (this) {
            samples.add(s);
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }
}
