package dev.invoka.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The code of the chaos runner's {@code http} functions: a node POSTs each attempt to
 * {@code /attempt?fail=K} with the header {@code Lambda-Runtime-Aws-Request-Id}. Attempts 1..K of a request
 * id are answered 500 with a JSON error object (a function error: the node retries after 60 s, then
 * 120 s, scaled), later ones 200 with the event.
 *
 * <p>Contract: every attempt's arrival and end (the moment its answer was written) go to the
 * {@link Ledger}; an attempt without a request id header is answered 400 and not logged. Always up: it is
 * not a destination, so destination faults do not touch it.
 */
final class FunctionEndpoint implements AutoCloseable {

    static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";

    private final Ledger ledger;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "chaos-function");
        t.setDaemon(true);
        return t;
    });

    FunctionEndpoint(Ledger ledger) throws IOException {
        this.ledger = ledger;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/attempt", this::onAttempt);
        server.setExecutor(pool);
        server.start();
    }

    /** The Handler of an http function whose first {@code failures} attempts per request id fail. */
    String handler(int failures) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/attempt?fail=" + failures;
    }

    private void onAttempt(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            long arrival = System.currentTimeMillis();
            byte[] event = in.readAllBytes();
            String id = ex.getRequestHeaders().getFirst(REQUEST_ID);
            if (id == null) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            int n = ledger.attemptArrived(id);
            boolean fail = n <= failures(ex.getRequestURI());
            byte[] body = fail
                    ? ("{\"errorType\":\"ChaosError\",\"errorMessage\":\"attempt " + n + " fails on purpose\"}")
                            .getBytes(StandardCharsets.UTF_8)
                    : event;
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(fail ? 500 : 200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) ex.getResponseBody().write(body);
            ex.getResponseBody().close();
            ledger.attemptEnded(id, arrival, System.currentTimeMillis(), fail);
        }
    }

    static int failures(URI uri) {
        String q = uri.getRawQuery();
        if (q == null) return 0;
        for (String p : q.split("&")) {
            if (p.startsWith("fail=")) return Integer.parseInt(p.substring(5));
        }
        return 0;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
