package dev.invoka.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook destination of every chaos function: {@code POST /records/{function}} receives an
 * invocation record (lambda-spec §4.2) and writes it into the {@link Ledger}; it answers 200 once the
 * record is in the ledger, so a record the node saw acknowledged is never missing here.
 *
 * <p>Contract: {@link #down()} closes the listening socket (senders see connection refused) and
 * {@link #up()} listens again on the same port. A body that is not a record is answered 400 and counted
 * in {@link #malformed()}. Handlers run on a small pool of their own.
 */
final class Collector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ledger ledger;
    private final int port;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "chaos-collector");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger malformed = new AtomicInteger();
    private HttpServer server;

    Collector(Ledger ledger, int port) {
        this.ledger = ledger;
        this.port = port;
    }

    /** The destination URL of {@code function}'s records. */
    String url(String function) {
        return "http://127.0.0.1:" + port + "/records/" + function;
    }

    synchronized void up() throws IOException {
        if (server != null) return;
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
                break;
            } catch (java.net.BindException e) {
                last = e;
                sleep(100);
            }
        }
        if (server == null) throw last;
        server.createContext("/records/", this::onRecord);
        server.setExecutor(pool);
        server.start();
    }

    synchronized void down() {
        if (server == null) return;
        server.stop(0);
        server = null;
    }

    synchronized boolean isUp() {
        return server != null;
    }

    int malformed() {
        return malformed.get();
    }

    private void onRecord(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            long now = System.currentTimeMillis();
            Ledger.Received r = parse(in.readAllBytes(), now);
            if (r == null) {
                malformed.incrementAndGet();
                ex.sendResponseHeaders(400, -1);
                return;
            }
            ledger.record(r);
            ex.sendResponseHeaders(200, -1);
        }
    }

    /** The ledger's view of a record, or null if the body is not one. */
    static Ledger.Received parse(byte[] body, long receivedAtMs) {
        try {
            JsonNode record = JSON.readTree(body);
            JsonNode ctx = record.path("requestContext");
            if (!ctx.path("requestId").isTextual() || !ctx.path("condition").isTextual()) return null;
            String arn = ctx.path("functionArn").asText("");
            String[] parts = arn.split(":");
            String function = parts.length > 6 ? parts[6] : arn;
            long seq = record.path("requestPayload").path("chaos").asLong(-1);
            long timestamp = record.path("timestamp").isTextual()
                    ? Instant.parse(record.get("timestamp").asText()).toEpochMilli() : receivedAtMs;
            return new Ledger.Received(ctx.get("requestId").asText(), seq, function, ctx.get("condition").asText(),
                    ctx.path("approximateInvokeCount").asInt(0), timestamp, receivedAtMs);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        down();
        pool.shutdownNow();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
