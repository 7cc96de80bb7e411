package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Large payloads: Event invokes of JSON payloads 1,000 bytes under the asynchronous limit (1,048,576
 * bytes) must be accepted (202) and run, and a few at the limit (202) and just over it (1 byte and 1,000
 * bytes over) must be refused with 413 {@code RequestEntityTooLargeException} and AWS's message.
 *
 * <p>Read the percentiles of {@code invoke Event ~1 MB}: the cost of journaling a megabyte before the
 * 202 (the body upload over loopback is part of it); then the drain: every large event must also have
 * run. Properties ({@code -Dinvoka.<name>}): {@code rate} (10 per second), {@code duration} (30 s),
 * {@code functions} (10), {@code oversized} (20 refused requests of each size), {@code maxP99Ms} (5000).
 */
public class LargePayloadSimulation extends Simulation {

    static final int ASYNC_LIMIT = 1_048_576;

    private final String prefix = LoadConfig.runPrefix("large");
    private final List<String> functions = Invokes.names(prefix, LoadConfig.integer("functions", 10));
    private final double rate = LoadConfig.decimal("rate", 10);

    {
        ScenarioBuilder large = scenario("~1 MB Event").feed(Invokes.randomFunction(functions))
                .exec(Invokes.event("invoke Event ~1 MB", ByteArrayBody(json(ASYNC_LIMIT - 1_000))));
        ScenarioBuilder edges = scenario("limit edges").feed(Invokes.randomFunction(functions))
                .exec(Invokes.event("invoke Event at the limit", ByteArrayBody(json(ASYNC_LIMIT))),
                        tooLarge("invoke Event 1 byte over", ASYNC_LIMIT + 1),
                        tooLarge("invoke Event 1,000 bytes over", ASYNC_LIMIT + 1_000));
        Duration duration = LoadConfig.seconds("duration", 30);
        setUp(large.injectOpen(constantUsersPerSec(rate).during(duration))
                        .andThen(QueueDrain.watch(functions, Duration.ofSeconds(120), Duration.ofSeconds(1))
                                .injectOpen(atOnceUsers(1))),
                edges.injectOpen(rampUsers(LoadConfig.integer("oversized", 20)).during(duration)))
                .protocols(Invokes.protocol())
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("invoke Event ~1 MB").responseTime().percentile(99.0)
                                .lt(LoadConfig.integer("maxP99Ms", 5000)),
                        QueueDrain.assertion());
    }

    /** 413 with AWS's error type header and message for the Event invocation type. */
    private static HttpRequestActionBuilder tooLarge(String name, int size) {
        return http(name).post(Invokes.PATH).header("X-Amz-Invocation-Type", "Event")
                .body(ByteArrayBody(json(size)))
                .check(status().is(413),
                        header("x-amzn-ErrorType").is("RequestEntityTooLargeException"),
                        jmesPath("Message").is(size + " byte payload is too large for the Event invocation type (limit "
                                + ASYNC_LIMIT + " bytes)"));
    }

    /** A JSON object of exactly {@code size} bytes: {@code {"pad":"xxx..."}}. */
    static byte[] json(int size) {
        String head = "{\"pad\":\"";
        String tail = "\"}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void before() {
        LambdaAdmin admin = new LambdaAdmin(LoadConfig.endpoints().get(0));
        functions.forEach(name -> admin.createFunction(name, "echo", Map.of()));
        System.out.printf("large payloads: %d echo functions %s*, %.0f/s of %,d bytes%n",
                functions.size(), prefix, rate, ASYNC_LIMIT - 1_000);
    }

    @Override
    public void after() {
        LambdaAdmin.logCounters("large payloads", prefix);
    }
}
