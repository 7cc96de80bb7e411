package dev.invoka.chaos;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event invokes at a steady rate, spread round-robin over the nodes as a load balancer would, each 202's
 * {@code x-amzn-RequestId} written into the {@link Ledger}. The payload is {@code {"chaos":<seq>}}, so a
 * record can be traced back to the invoke that caused it even when its 202 never arrived.
 *
 * <p>Failover: a connection refused on one node is retried on the next (safe: the node never saw the
 * request); a reset, an I/O error or no answer within {@code requestTimeout} is retried on the next too,
 * but counted apart as an <em>ambiguous</em> retry, since the first node may have journaled the event (a
 * double accept, which the ledger reports). A 5xx or 429 answer is retried on the next node as AWS SDKs
 * retry it, counted apart too (a 500 may hide a write that still lands). Each invoke tries each node at most
 * once; other error answers, and the last node's, are counted by status.
 *
 * <p>Contract: {@link #run} paces invokes until its deadline, never holds more than {@code maxInFlight}
 * invokes (beyond it an invoke is skipped and counted), and returns when every invoke it started has
 * finished. Counters are safe to read at any time.
 */
final class LoadDriver {

    private final List<String> endpoints;
    private final List<String> functions;
    private final int[] cycle;
    private final double ratePerSecond;
    private final Duration requestTimeout;
    private final Ledger ledger;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refusedRetries = new AtomicLong();
    private final AtomicLong ambiguousRetries = new AtomicLong();
    private final AtomicLong serverErrorRetries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<Integer, AtomicLong> rejected = new ConcurrentHashMap<>();

    LoadDriver(List<String> endpoints, List<String> functions, int[] cycle, double ratePerSecond,
               Duration requestTimeout, int maxInFlight, Ledger ledger) {
        this.endpoints = List.copyOf(endpoints);
        this.functions = List.copyOf(functions);
        this.cycle = cycle;
        this.ratePerSecond = ratePerSecond;
        this.requestTimeout = requestTimeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.ledger = ledger;
        this.maxInFlight = maxInFlight;
    }

    /** Sends invokes at the rate until {@code durationMs} has passed, then waits for the ones in flight. */
    void run(long durationMs) throws InterruptedException {
        long start = System.nanoTime();
        long issued = 0;
        while (true) {
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (elapsedMs >= durationMs) break;
            long due = (long) (ratePerSecond * elapsedMs / 1000.0);
            for (; issued < due; issued++) {
                if (!inFlight.tryAcquire()) {
                    skipped.incrementAndGet();
                    continue;
                }
                invoke();
            }
            Thread.sleep(5);
        }
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
    }

    private void invoke() {
        long s = seq.incrementAndGet();
        String function = functions.get(cycle[(int) (s % cycle.length)]);
        byte[] payload = ("{\"chaos\":" + s + ",\"function\":\"" + function + "\"}").getBytes(StandardCharsets.UTF_8);
        sent.incrementAndGet();
        int first = Math.floorMod(next.getAndIncrement(), endpoints.size());
        attempt(s, function, payload, first, 0).whenComplete((v, e) -> inFlight.release());
    }

    private CompletableFuture<Void> attempt(long s, String function, byte[] payload, int first, int tries) {
        String endpoint = endpoints.get((first + tries) % endpoints.size());
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/2015-03-31/functions/" + function
                        + "/invocations"))
                .timeout(requestTimeout)
                .header("X-Amz-Invocation-Type", "Event")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        long sentAt = System.currentTimeMillis();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure == null) {
                int status = response.statusCode();
                if ((status >= 500 || status == 429) && tries + 1 < endpoints.size()) {
                    serverErrorRetries.incrementAndGet();
                    return attempt(s, function, payload, first, tries + 1);
                }
                answered(s, function, response, sentAt);
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (tries + 1 >= endpoints.size()) {
                failed.incrementAndGet();
                return CompletableFuture.<Void>completedFuture(null);
            }
            boolean refused = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
            (refused ? refusedRetries : ambiguousRetries).incrementAndGet();
            return attempt(s, function, payload, first, tries + 1);
        }).thenCompose(f -> f);
    }

    /** A 202's id goes into the ledger as accepted at {@code sentAt} (the node journaled it after that). */
    private void answered(long s, String function, HttpResponse<Void> response, long sentAt) {
        if (response.statusCode() == 202) {
            String id = response.headers().firstValue("x-amzn-RequestId").orElse(null);
            if (id != null) {
                accepted.incrementAndGet();
                ledger.accepted(id, s, function, sentAt);
                return;
            }
        }
        rejected.computeIfAbsent(response.statusCode(), c -> new AtomicLong()).incrementAndGet();
    }

    long accepted() {
        return accepted.get();
    }

    long sent() {
        return sent.get();
    }

    /** The driver's counters for the report. */
    Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", sent.get());
        m.put("accepted", accepted.get());
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        rejected.forEach((k, v) -> byStatus.put(Integer.toString(k), v.get()));
        m.put("rejectedByStatus", byStatus);
        m.put("refusedRetried", refusedRetries.get());
        m.put("ambiguousRetried", ambiguousRetries.get());
        m.put("serverErrorRetried", serverErrorRetries.get());
        m.put("failedOnEveryNode", failed.get());
        m.put("skippedInFlightCap", skipped.get());
        return m;
    }
}
