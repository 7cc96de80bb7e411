package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Body;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What the simulations share: the HTTP protocol over the endpoints, a feeder of function names and the
 * Invoke requests with their checks. Every request names its function with the session attribute
 * {@code fn}.
 */
final class Invokes {

    static final String PATH = "/2015-03-31/functions/#{fn}/invocations";

    private Invokes() {}

    /**
     * Round-robin over the endpoints, one connection pool shared by all virtual users (an open model
     * starts a user per request: without sharing, each request would open a connection), no warm-up
     * request to gatling.io (this machine has no internet).
     */
    static HttpProtocolBuilder protocol() {
        return http.baseUrls(LoadConfig.endpoints())
                .shareConnections()
                .disableWarmUp()
                .contentTypeHeader("application/json")
                .acceptHeader("application/json");
    }

    /** {@code count} names {@code prefix0 .. prefix(count-1)}. */
    static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** An endless feeder that puts a random one of {@code functions} in {@code fn}. */
    static Iterator<Map<String, Object>> randomFunction(List<String> functions) {
        return Stream.generate(() -> Map.<String, Object>of("fn",
                functions.get(ThreadLocalRandom.current().nextInt(functions.size())))).iterator();
    }

    /** An Event invoke that must be accepted: 202 with a request id. */
    static HttpRequestActionBuilder event(String name, Body body) {
        return http(name).post(PATH).header("X-Amz-Invocation-Type", "Event").body(body)
                .check(status().is(202), header("x-amzn-RequestId").exists());
    }

    /** A DryRun invoke: the same route and entity lookup without the journal write; 204. */
    static HttpRequestActionBuilder dryRun(String name, Body body) {
        return http(name).post(PATH).header("X-Amz-Invocation-Type", "DryRun").body(body)
                .check(status().is(204));
    }
}
