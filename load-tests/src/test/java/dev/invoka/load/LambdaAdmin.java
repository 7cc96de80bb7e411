package dev.invoka.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Plain Lambda API calls for a simulation's {@code before()} and {@code after()}: creates its functions,
 * sets their reserved concurrency and event invoke config, and reads the node's counters. Any answer
 * other than success (or 409 for a function that already exists) throws, so a simulation against a
 * broken server stops before it starts.
 */
final class LambdaAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::000000000000:role/gatling";
    private static final String ZIP = Base64.getEncoder().encodeToString(smallZip());
    private static final Pattern COUNTER = Pattern.compile(
            "^lambda_(\\w+)_total\\{[^}]*function_name=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final String endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    LambdaAdmin(String endpoint) {
        this.endpoint = endpoint;
    }

    /** {@code POST /2015-03-31/functions} for a {@code builtin} function; an existing one is kept. */
    void createFunction(String name, String handler, Map<String, String> environment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("FunctionName", name);
        body.put("Runtime", "builtin");
        body.put("Handler", handler);
        body.put("Role", ROLE);
        body.put("Timeout", 900);
        body.put("Code", Map.of("ZipFile", ZIP));
        body.put("Environment", Map.of("Variables", environment));
        HttpResponse<String> response = send("POST", "/2015-03-31/functions", body);
        if (response.statusCode() == 409 && response.body().contains("ResourceConflictException")) return;
        expect(response, 201, "CreateFunction " + name);
    }

    /** {@code PUT /2017-10-31/functions/{name}/concurrency}. */
    void putConcurrency(String name, int reserved) {
        expect(send("PUT", "/2017-10-31/functions/" + name + "/concurrency",
                Map.of("ReservedConcurrentExecutions", reserved)), 200, "PutFunctionConcurrency " + name);
    }

    /** {@code PUT /2019-09-25/functions/{name}/event-invoke-config}, e.g. {@code MaximumRetryAttempts}. */
    void putEventInvokeConfig(String name, Map<String, Object> config) {
        expect(send("PUT", "/2019-09-25/functions/" + name + "/event-invoke-config", config), 200,
                "PutFunctionEventInvokeConfig " + name);
    }

    /**
     * The node's {@code lambda_*_total} counters summed over the functions whose name starts with
     * {@code prefix}, e.g. {@code {Invocations=3500, Errors=1750, AsyncEventsReceived=2000}}. Only this
     * node's counters: against a cluster, each node counts what it ran.
     */
    Map<String, Long> counters(String prefix) {
        HttpResponse<String> response = send("GET", "/metrics", null);
        expect(response, 200, "GET /metrics");
        Map<String, Long> sums = new TreeMap<>();
        Matcher m = COUNTER.matcher(response.body());
        while (m.find()) {
            if (m.group(2).startsWith(prefix)) sums.merge(m.group(1), (long) Double.parseDouble(m.group(3)), Long::sum);
        }
        return sums;
    }

    /** Prints {@link #counters} of the first endpoint; a failure to read them is printed, not thrown. */
    static void logCounters(String simulation, String prefix) {
        try {
            System.out.println(simulation + ": server counters " + new LambdaAdmin(LoadConfig.endpoints().get(0)).counters(prefix));
        } catch (RuntimeException e) {
            System.out.println(simulation + ": could not read the server counters: " + e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, publisher).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + endpoint + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + response.statusCode()
                    + " " + response.body());
        }
    }

    /** Any small zip: the builtin runtime only hashes the code. */
    private static byte[] smallZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.js"));
            zip.write("exports.handler = async (event) => event;\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
