package dev.invoka.node.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.invoka.node.Settings;
import dev.invoka.node.function.Functions;
import dev.invoka.node.metrics.LambdaMetrics;
import dev.invoka.protocol.FunctionNames;
import dev.invoka.protocol.LambdaException;
import dev.invoka.node.function.FunctionEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Invoka's own endpoints, beyond AWS: health, a function's queue, an invocation's status, and the
 * Prometheus metrics.
 */
final class AdminApi {


    private final Functions functions;
    private final Settings settings;
    private final LambdaMetrics metrics;

    AdminApi(Functions functions, Settings settings, LambdaMetrics metrics) {
        this.functions = functions;
        this.settings = settings;
        this.metrics = metrics;
    }

    Route route() {
        return concat(
                pathPrefix("_invoka", () -> concat(
                        path("health", () -> get(() -> complete(Views.json(200, Map.of("status", "UP"), LambdaApi.newId())))),
                        path(segment("functions").slash(segment()).slash("queue"), name -> get(() -> LambdaApi.respond(() ->
                                functions.queue(FunctionNames.parseUnqualified(name, settings.region(), settings.account()))
                                        .thenApply(view -> Views.plainJson(200, queue(view)))))),
                        path(segment("functions").slash(segment()).slash("undeliverable"), name -> get(() ->
                                LambdaApi.respond(() -> functions.undeliverable(
                                        FunctionNames.parseUnqualified(name, settings.region(), settings.account()))
                                        .thenApply(entries -> Views.plainJson(200, Map.of("undeliverable",
                                                entries.stream().map(AdminApi::undeliverable).toList())))))),
                        path(segment("functions").slash(segment()).slash("redrive"), name -> post(() ->
                                LambdaApi.body(body -> redrive(name, body)))),
                        path(segment("invocations").slash(segment()), requestId -> get(() -> LambdaApi.respond(() ->
                                functions.status(requestId).thenApply(found -> Views.plainJson(200, status(found.orElseThrow(() ->
                                        LambdaException.resourceNotFound("No invocation " + requestId
                                                + " is known (queued, running or recently finished)")))))))))),
                path("metrics", () -> get(() -> complete(HttpResponse.create()
                        .withEntity(ContentTypes.create(MediaTypes.TEXT_PLAIN, HttpCharsets.UTF_8), metrics.scrape())))));
    }

    private static final java.util.Set<String> FAILURES = java.util.Set.of(
            "RetriesExhausted", "EventAgeExceeded", "ZeroReservedConcurrency");

    /**
     * {@code POST /_invoka/functions/{name}/redrive}, body (all optional):
     * {@code {"condition":"RetriesExhausted","since":"2026-01-01T00:00:00Z","until":"...","max":100}}.
     */
    private java.util.concurrent.CompletionStage<HttpResponse> redrive(String name, byte[] body) {
        var ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
        com.fasterxml.jackson.databind.JsonNode filter = LambdaApi.read(body, com.fasterxml.jackson.databind.JsonNode.class);
        String condition = filter.path("condition").isTextual() ? filter.get("condition").asText() : null;
        if (condition != null && !FAILURES.contains(condition)) {
            throw LambdaException.invalidParameterValue("condition must be one of " + new java.util.TreeSet<>(FAILURES));
        }
        int max = filter.path("max").canConvertToInt() ? filter.get("max").asInt() : 1000;
        if (max < 1) throw LambdaException.invalidParameterValue("max must be at least 1");
        return functions.redrive(ref, condition, instant(filter, "since"), instant(filter, "until"), max)
                .thenApply(events -> {
                    List<Map<String, String>> list = events.stream().map(e -> Map.of(
                            "requestId", e.requestId(), "newRequestId", e.newRequestId())).toList();
                    return Views.plainJson(200, Map.of("redriven", list));
                });
    }

    private static Long instant(com.fasterxml.jackson.databind.JsonNode filter, String field) {
        if (!filter.path(field).isTextual()) return null;
        try {
            return Instant.parse(filter.get(field).asText()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw LambdaException.invalidParameterValue(field + " must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
        }
    }

    static Map<String, Object> undeliverable(FunctionEntity.UndeliverableEntry e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", e.requestId());
        body.put("target", e.target().equals("DEAD_LETTER") ? "dead-letter" : "destination");
        body.put("to", e.to());
        body.put("reason", e.reason());
        body.put("abandonedAt", Instant.ofEpochMilli(e.abandonedAtMs()).toString());
        body.put("condition", e.condition());
        body.put("body", e.body());
        return body;
    }

    static Map<String, Object> queue(FunctionEntity.QueueView q) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("function", q.function());
        body.put("depth", q.depth());
        body.put("inFlight", q.inFlight());
        body.put("scheduledRetries", q.scheduledRetries());
        body.put("oldestAgeMs", q.oldestAgeMs());
        body.put("undeliveredRecords", q.undeliveredRecords());
        body.put("reservedConcurrency", q.reservedConcurrency());
        return body;
    }

    static Map<String, Object> status(FunctionEntity.StatusView s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", s.requestId());
        body.put("function", s.function());
        body.put("status", s.status());
        body.put("condition", s.condition());
        body.put("attempts", s.attempts());
        body.put("acceptedAt", Instant.ofEpochMilli(s.acceptedAtMs()).toString());
        body.put("nextAttemptAt", s.nextAttemptAtMs() == null ? null : Instant.ofEpochMilli(s.nextAttemptAtMs()).toString());
        body.put("finishedAt", s.finishedAtMs() == null ? null : Instant.ofEpochMilli(s.finishedAtMs()).toString());
        body.put("destination", s.destination());
        body.put("delivery", s.delivery());
        body.put("deadLetter", s.deadLetter());
        body.put("deadLetterDelivery", s.deadLetterDelivery());
        body.put("redriveOf", s.redriveOf());
        body.put("redrivenAs", s.redrivenAs());
        return body;
    }

}
