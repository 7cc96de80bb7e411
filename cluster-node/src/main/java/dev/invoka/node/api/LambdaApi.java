package dev.invoka.node.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoka.node.Settings;
import dev.invoka.node.function.FunctionConfig;
import dev.invoka.node.function.FunctionState;
import dev.invoka.node.function.Functions;
import dev.invoka.protocol.CreateFunctionRequest;
import dev.invoka.protocol.FunctionNames;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.FunctionValidation;
import dev.invoka.protocol.LambdaException;
import dev.invoka.protocol.LambdaJson;
import dev.invoka.protocol.UpdateFunctionConfigurationRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.util.ByteString;

/**
 * The Lambda management API: functions, their configuration and reserved concurrency, account settings.
 * Paths and shapes are AWS's (docs/lambda-spec.md §6, §10); Invoke lives in {@link InvokeApi}.
 */
final class LambdaApi {

    private final Functions functions;
    private final Settings settings;
    private final Views views;
    private final Clock clock;

    LambdaApi(Functions functions, Settings settings, Clock clock) {
        this.functions = functions;
        this.settings = settings;
        this.views = new Views(settings);
        this.clock = clock;
    }

    Route route(Function<String, Route> invoke) {
        return concat(
                pathPrefix("2015-03-31", () -> pathPrefix("functions", () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                post(() -> body(this::createFunction)),
                                get(() -> parameterOptional("Marker", marker -> parameterOptional("MaxItems",
                                        maxItems -> parameterOptional("FunctionVersion",
                                                version -> listFunctions(marker, maxItems, version))))))),
                        pathPrefix(segment(), name -> concat(
                                pathEndOrSingleSlash(() -> parameterOptional("Qualifier", qualifier -> concat(
                                        get(() -> getFunction(name, qualifier)),
                                        delete(() -> deleteFunction(name, qualifier))))),
                                path("configuration", () -> concat(
                                        get(() -> parameterOptional("Qualifier", q -> getConfiguration(name, q))),
                                        put(() -> body(bytes -> updateConfiguration(name, bytes))))),
                                path("invocations", () -> invoke.apply(name))))))),
                pathPrefix("2017-10-31", () -> pathPrefix("functions", () -> path(segment().slash("concurrency"),
                        name -> concat(
                                put(() -> body(bytes -> putConcurrency(name, bytes))),
                                delete(() -> deleteConcurrency(name)))))),
                pathPrefix("2019-09-30", () -> pathPrefix("functions", () -> path(segment().slash("concurrency"),
                        name -> get(() -> getConcurrency(name))))),
                pathPrefix("2016-08-19", () -> path("account-settings", () -> get(this::accountSettings))));
    }

    /** The request body as bytes, then the handler; failures of either are answered in AWS's shape. */
    static Route body(Function<byte[], CompletionStage<HttpResponse>> handler) {
        return entity(Unmarshaller.entityToByteString(), bytes -> respond(() -> handler.apply(bytes.toArray())));
    }

    /** Runs a handler; its failures, thrown or in the stage, are answered by {@link ApiErrors} (which names its own request id). */
    static Route respond(java.util.function.Supplier<CompletionStage<HttpResponse>> handler) {
        CompletionStage<HttpResponse> response;
        try {
            response = handler.get();
        } catch (RuntimeException e) {
            return complete(ApiErrors.toResponse(e));
        }
        return completeWithFuture(response.exceptionally(ApiErrors::toResponse));
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) body = "{}".getBytes();
        try {
            return LambdaJson.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw LambdaException.invalidRequestContent("Could not parse request body into json: " + e.getMessage());
        }
    }

    private CompletionStage<HttpResponse> createFunction(byte[] body) {
        CreateFunctionRequest request = read(body, CreateFunctionRequest.class);
        FunctionValidation.validateCreate(request);
        FunctionRef ref = FunctionNames.parseForCreate(request.functionName(), settings.region(), settings.account());
        FunctionConfig config = FunctionConfig.fromCreate(ref.name(), request, clock.millis());
        return functions.create(ref, config)
                .thenApply(state -> Views.json(201, views.configuration(state.config(), false), newId()));
    }

    private Route listFunctions(Optional<String> marker, Optional<String> maxItemsParam, Optional<String> version) {
        return respond(() -> {
            if (version.isPresent() && !version.get().equals("ALL")) {
                throw LambdaException.validation(List.of("Value '" + version.get()
                        + "' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]"));
            }
            int maxItems = maxItems(maxItemsParam, 10_000, 50);
            return functions.list().thenApply(all -> {
                NavigableMap<String, FunctionState> page = marker.map(m -> all.tailMap(m, true)).orElse(all);
                List<Object> items = page.values().stream().limit(maxItems)
                        .map(s -> (Object) views.configuration(s.config(), false)).toList();
                Map<String, Object> response = new java.util.LinkedHashMap<>();
                response.put("Functions", items);
                if (page.size() > maxItems) response.put("NextMarker", page.keySet().stream().skip(maxItems).findFirst().get());
                return Views.json(200, response, newId());
            });
        });
    }

    static int maxItems(Optional<String> param, int max, int defaultValue) {
        if (param.isEmpty()) return defaultValue;
        int value;
        try {
            value = Integer.parseInt(param.get());
        } catch (NumberFormatException e) {
            throw LambdaException.invalidParameterValue("MaxItems must be a number: " + param.get());
        }
        if (value < 1) throw LambdaException.validation(List.of("Value '" + value
                + "' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        if (value > max) throw LambdaException.validation(List.of("Value '" + value
                + "' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to " + max));
        return value;
    }

    private Route getFunction(String name, Optional<String> qualifier) {
        return respond(() -> {
            FunctionRef ref = latestOnly(FunctionNames.parseQualified(name, qualifier.orElse(null),
                    settings.region(), settings.account()));
            return functions.get(ref).thenApply(s -> Views.json(200, views.function(s, ref.qualifier() != null), newId()));
        });
    }

    private Route getConfiguration(String name, Optional<String> qualifier) {
        return respond(() -> {
            FunctionRef ref = latestOnly(FunctionNames.parseQualified(name, qualifier.orElse(null),
                    settings.region(), settings.account()));
            return functions.get(ref)
                    .thenApply(s -> Views.json(200, views.configuration(s.config(), ref.qualifier() != null), newId()));
        });
    }

    private Route deleteFunction(String name, Optional<String> qualifier) {
        return respond(() -> {
            FunctionRef parsed = FunctionNames.parseQualified(name, qualifier.orElse(null), settings.region(), settings.account());
            // Deleting $LATEST alone is what AWS refuses; without versions, $LATEST means the function.
            if (parsed.qualifier() != null && !parsed.qualifier().equals("$LATEST")) {
                throw LambdaException.functionNotFound(parsed.unqualifiedArn());
            }
            FunctionRef ref = new FunctionRef(parsed.region(), parsed.account(), parsed.name(), null);
            return functions.delete(ref).thenApply(s -> Views.empty(204, newId()));
        });
    }

    private CompletionStage<HttpResponse> updateConfiguration(String name, byte[] body) {
        FunctionRef ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
        UpdateFunctionConfigurationRequest request = read(body, UpdateFunctionConfigurationRequest.class);
        FunctionValidation.validateUpdate(request);
        return functions.get(ref).thenCompose(current -> {
            FunctionValidation.validateUpdate(request, views.configuration(current.config(), false));
            if (request.revisionId() != null && !request.revisionId().equals(current.config().revisionId())) {
                throw LambdaException.invalidParameterValue(
                        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
            }
            return functions.update(ref, request);
        }).thenApply(s -> Views.json(200, views.configuration(s.config(), false), newId()));
    }

    private CompletionStage<HttpResponse> putConcurrency(String name, byte[] body) {
        FunctionRef ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
        JsonNode value = read(body, JsonNode.class).get("ReservedConcurrentExecutions");
        if (value == null || value.isNull()) {
            throw LambdaException.validation(List.of("Value null at 'reservedConcurrentExecutions' failed to satisfy "
                    + "constraint: Member must not be null"));
        }
        if (!value.canConvertToInt()) {
            throw LambdaException.invalidRequestContent("Could not parse request body into json: ReservedConcurrentExecutions must be an integer");
        }
        int reserved = value.asInt();
        if (reserved < 0) {
            throw LambdaException.validation(List.of("Value '" + reserved + "' at 'reservedConcurrentExecutions' failed "
                    + "to satisfy constraint: Member must have value greater than or equal to 0"));
        }
        return functions.putConcurrency(ref, reserved).thenApply(s -> Views.json(200,
                Map.of("ReservedConcurrentExecutions", s.reservedConcurrency()), newId()));
    }

    private Route getConcurrency(String name) {
        return respond(() -> {
            FunctionRef ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
            return functions.get(ref).thenApply(s -> Views.json(200, s.reservedConcurrency() == null ? Map.of()
                    : Map.of("ReservedConcurrentExecutions", s.reservedConcurrency()), newId()));
        });
    }

    private Route deleteConcurrency(String name) {
        return respond(() -> {
            FunctionRef ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
            return functions.deleteConcurrency(ref).thenApply(s -> Views.empty(204, newId()));
        });
    }

    private Route accountSettings() {
        return respond(() -> functions.list().thenApply(all -> {
            int reserved = all.values().stream()
                    .mapToInt(s -> s.reservedConcurrency() == null ? 0 : s.reservedConcurrency()).sum();
            long codeSize = all.values().stream().mapToLong(s -> s.config().codeSize()).sum();
            Map<String, Object> limit = new java.util.LinkedHashMap<>();
            limit.put("TotalCodeSize", 80_530_636_800L);
            limit.put("CodeSizeUnzipped", 262_144_000);
            limit.put("CodeSizeZipped", 52_428_800);
            limit.put("ConcurrentExecutions", settings.accountConcurrency());
            limit.put("UnreservedConcurrentExecutions", settings.accountConcurrency() - reserved);
            return Views.json(200, Map.of(
                    "AccountLimit", limit,
                    "AccountUsage", Map.of("TotalCodeSize", codeSize, "FunctionCount", all.size())), newId());
        }));
    }

    /** Invoka has no published versions or aliases yet: any qualifier but $LATEST names nothing. */
    static FunctionRef latestOnly(FunctionRef ref) {
        if (ref.qualifier() != null && !ref.qualifier().equals("$LATEST")) {
            throw LambdaException.functionNotFound(ref.qualifiedArn());
        }
        return ref;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
