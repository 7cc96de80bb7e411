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
                        path(segment("invocations").slash(segment()), requestId -> get(() -> LambdaApi.respond(() ->
                                functions.status(requestId).thenApply(found -> Views.plainJson(200, status(found.orElseThrow(() ->
                                        LambdaException.resourceNotFound("No invocation " + requestId
                                                + " is known (queued, running or recently finished)")))))))))),
                path("metrics", () -> get(() -> complete(HttpResponse.create()
                        .withEntity(ContentTypes.create(MediaTypes.TEXT_PLAIN, HttpCharsets.UTF_8), metrics.scrape())))));
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
        return body;
    }

}
