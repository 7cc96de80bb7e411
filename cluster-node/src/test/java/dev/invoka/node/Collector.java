package dev.invoka.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local HTTP endpoint for end-to-end tests, used as an {@code http} function: {@code /records} collects
 * what it receives (invocation records when a destination function points here), {@code /attempts/{mode}}
 * is a function whose answers a test scripts: {@code ok}, {@code fail} (500), {@code throttle-N} (429 for
 * the first N attempts of each request id, then 200), {@code fail-N} (500 for the first N, then 200),
 * {@code slow-N} (answers 200 after N ms; {@link #maxInFlight()} tells how many ran at once at most, in all and
 * per function named by the payload's {@code fn}).
 */
public final class Collector implements AutoCloseable {

    /** One request the collector received. */
    public record Hit(String path, String requestId, long atMs, JsonNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByFn = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlightByFn = new ConcurrentHashMap<>();

    public Collector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String requestId = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Aws-Request-Id");
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
        hits.add(new Hit(path, requestId, System.currentTimeMillis(), json));
        int status = 200;
        byte[] answer = body;
        if (path.startsWith("/attempts/")) {
            String mode = path.substring("/attempts/".length());
            int attempt = attempts.computeIfAbsent(requestId, id -> new AtomicInteger()).incrementAndGet();
            if (mode.startsWith("slow-")) holdFor(Long.parseLong(mode.substring(5)), json.path("fn").asText());
            if (mode.equals("fail")) status = 500;
            else if (mode.startsWith("fail-") && attempt <= Integer.parseInt(mode.substring(5))) status = 500;
            else if (mode.startsWith("throttle-") && attempt <= Integer.parseInt(mode.substring(9))) status = 429;
            if (status == 500) answer = "{\"errorMessage\":\"scripted failure\",\"errorType\":\"Scripted\"}".getBytes();
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private void holdFor(long ms, String fn) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicInteger ofFn = inFlightByFn.computeIfAbsent(fn, k -> new AtomicInteger());
        maxInFlightByFn.computeIfAbsent(fn, k -> new AtomicInteger()).accumulateAndGet(ofFn.incrementAndGet(), Math::max);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            ofFn.decrementAndGet();
        }
    }

    /** The most {@code slow-N} requests that were in progress at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The same per function: the payload's {@code fn} field ("" when it has none). */
    public Map<String, Integer> maxInFlightByFunction() {
        Map<String, Integer> result = new java.util.TreeMap<>();
        maxInFlightByFn.forEach((fn, max) -> result.put(fn, max.get()));
        return result;
    }

    public List<Hit> hits(String pathPrefix) {
        List<Hit> result = new ArrayList<>();
        for (Hit h : hits) if (h.path().startsWith(pathPrefix)) result.add(h);
        return result;
    }

    /** Records received at {@code /records}. */
    public List<JsonNode> records() {
        return hits("/records").stream().map(Hit::body).toList();
    }

    /** Waits until {@code condition} holds for the records, or fails after {@code timeout}. */
    public List<JsonNode> awaitRecords(Predicate<List<JsonNode>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> records = records();
            if (condition.test(records)) return records;
            Thread.sleep(50);
        }
        throw new AssertionError("records did not arrive in " + timeout + "; got " + records());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
