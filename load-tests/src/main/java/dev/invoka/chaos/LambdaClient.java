package dev.invoka.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The few Lambda and Invoka admin calls the runner makes besides invokes: CreateFunction,
 * PutFunctionEventInvokeConfig, the queue of a function, its undeliverable records. Each call goes to the
 * endpoint {@code endpoints} supplies and, on a connection failure, to the next one (up to one try per
 * endpoint).
 *
 * <p>Contract: setup calls throw {@link IllegalStateException} on any answer other than success (409 for a
 * function that exists is success), so a run against a broken server stops before the load; read calls
 * return null when no endpoint answered.
 */
final class LambdaClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::000000000000:role/chaos";

    private final Supplier<List<String>> endpoints;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LambdaClient(Supplier<List<String>> endpoints) {
        this.endpoints = endpoints;
    }

    void createFunction(Workload.Spec spec, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("FunctionName", name);
        body.put("Runtime", spec.runtime());
        body.put("Handler", spec.handler());
        body.put("Role", ROLE);
        body.put("Timeout", 30);
        body.put("Environment", Map.of("Variables", spec.env()));
        HttpResponse<String> r = send("POST", "/2015-03-31/functions", body, Duration.ofSeconds(30));
        if (r != null && r.statusCode() == 409) return;
        expect(r, 201, "CreateFunction " + name);
    }

    /** OnSuccess and OnFailure both to {@code destination}; {@code maxRetries} null keeps AWS's default (2). */
    void putEventInvokeConfig(String name, String destination, Integer maxRetries) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (maxRetries != null) body.put("MaximumRetryAttempts", maxRetries);
        body.put("DestinationConfig", Map.of("OnSuccess", Map.of("Destination", destination),
                "OnFailure", Map.of("Destination", destination)));
        expect(send("PUT", "/2019-09-25/functions/" + name + "/event-invoke-config", body, Duration.ofSeconds(30)),
                200, "PutFunctionEventInvokeConfig " + name);
    }

    /** {@code GET /_invoka/functions/{name}/queue}, or null. */
    JsonNode queue(String name) {
        HttpResponse<String> r = send("GET", "/_invoka/functions/" + name + "/queue", null, Duration.ofSeconds(2));
        return r == null || r.statusCode() != 200 ? null : parse(r.body());
    }

    /** Request ids of {@code name}'s abandoned destination deliveries, or null when no node answered. */
    Set<String> undeliverable(String name) {
        HttpResponse<String> r = send("GET", "/_invoka/functions/" + name + "/undeliverable", null,
                Duration.ofSeconds(10));
        if (r == null || r.statusCode() != 200) return null;
        Set<String> ids = new HashSet<>();
        for (JsonNode e : parse(r.body()).path("undeliverable")) ids.add(e.path("requestId").asText());
        return ids;
    }

    private HttpResponse<String> send(String method, String path, Object body, Duration timeout) {
        for (String endpoint : endpoints.get()) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout)
                        .header("Content-Type", "application/json");
                b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // next endpoint
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r == null) throw new IllegalStateException(what + ": no node answered");
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
