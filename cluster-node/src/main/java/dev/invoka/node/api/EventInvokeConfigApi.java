package dev.invoka.node.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoka.node.Settings;
import dev.invoka.node.function.EventInvokeConfig;
import dev.invoka.node.function.Functions;
import dev.invoka.node.function.ShardedFunctions;
import dev.invoka.protocol.FunctionNames;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.LambdaException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s) under {@code /2019-09-25}, with AWS's semantics
 * (docs/lambda-spec.md §2): Put replaces, Update merges, one config per qualifier, AWS's validation order
 * and texts. Destinations may also be {@code http(s)://} URLs (webhooks, beyond AWS).
 */
final class EventInvokeConfigApi {

    static final String DESTINATION_PATTERN = "$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):"
            + "([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
    private static final Pattern DESTINATION = Pattern.compile(DESTINATION_PATTERN);
    private static final Pattern WEBHOOK = Pattern.compile("https?://\\S+");
    private static final List<String> SERVICES = List.of("lambda", "sqs", "sns", "events", "s3");

    private final Functions functions;
    private final Settings settings;
    private final Clock clock;

    EventInvokeConfigApi(Functions functions, Settings settings, Clock clock) {
        this.functions = functions;
        this.settings = settings;
        this.clock = clock;
    }

    Route route() {
        return pathPrefix("2019-09-25", () -> pathPrefix("functions", () -> pathPrefix(segment(), name -> concat(
                path(segment("event-invoke-config").slash("list"), () -> get(() -> parameterOptional("Marker",
                        marker -> parameterOptional("MaxItems", maxItems -> onList(name, marker, maxItems))))),
                path("event-invoke-config", () -> parameterOptional("Qualifier", qualifier -> concat(
                        put(() -> LambdaApi.body(body -> onPut(name, qualifier, body, false))),
                        post(() -> LambdaApi.body(body -> onPut(name, qualifier, body, true))),
                        get(() -> onGet(name, qualifier)),
                        delete(() -> onDelete(name, qualifier)))))))));
    }

    private CompletionStage<HttpResponse> onPut(String name, Optional<String> qualifier, byte[] body, boolean merge) {
        JsonNode request = LambdaApi.read(body, JsonNode.class);
        FunctionRef ref = FunctionNames.parseQualified(name, qualifier.orElse(null), settings.region(), settings.account());
        Integer retries = intMember(request, "MaximumRetryAttempts");
        Integer age = intMember(request, "MaximumEventAgeInSeconds");
        JsonNode destinations = request.get("DestinationConfig");
        boolean successGiven = destinations != null && destinations.has("OnSuccess");
        boolean failureGiven = destinations != null && destinations.has("OnFailure");
        String onSuccess = successGiven ? destination(destinations.get("OnSuccess")) : null;
        String onFailure = failureGiven ? destination(destinations.get("OnFailure")) : null;

        List<String> violations = new ArrayList<>();
        range(violations, retries, "maximumRetryAttempts", 0, 2);
        range(violations, age, "maximumEventAgeInSeconds", 60, 21_600);
        pattern(violations, onSuccess, "destinationConfig.onSuccess.destination");
        pattern(violations, onFailure, "destinationConfig.onFailure.destination");
        if (!violations.isEmpty()) throw LambdaException.validation(violations);
        if (retries == null && age == null && destinations == null) {
            throw LambdaException.invalidParameterValue("You must specify at least one of error handling or destination setting.");
        }
        if (!ref.effectiveQualifier().equals("$LATEST")) {
            throw LambdaException.resourceNotFound("The function doesn't exist.");
        }
        EventInvokeConfig config = new EventInvokeConfig(ref.effectiveQualifier(), retries, age, onSuccess, onFailure,
                clock.millis());
        return checkDestinations(ref, onSuccess, onFailure)
                .thenCompose(ok -> functions.putInvokeConfig(ref, config, merge, successGiven, failureGiven))
                .thenApply(state -> Views.json(200, view(ref, state.invokeConfig(ref.effectiveQualifier())),
                        LambdaApi.newId()));
    }

    private Route onGet(String name, Optional<String> qualifier) {
        return LambdaApi.respond(() -> {
            FunctionRef ref = FunctionNames.parseQualified(name, qualifier.orElse(null), settings.region(), settings.account());
            return functions.get(ref).handle((state, failure) -> {
                if (failure != null && ApiErrors.asLambdaException(failure).status() != 404) {
                    throw ApiErrors.asLambdaException(failure);
                }
                EventInvokeConfig config = state == null ? null : state.invokeConfig(ref.effectiveQualifier());
                if (config == null) throw ShardedFunctions.noInvokeConfig(ref);
                return Views.json(200, view(ref, config), LambdaApi.newId());
            });
        });
    }

    private Route onDelete(String name, Optional<String> qualifier) {
        return LambdaApi.respond(() -> {
            FunctionRef ref = FunctionNames.parseQualified(name, qualifier.orElse(null), settings.region(), settings.account());
            return functions.deleteInvokeConfig(ref).thenApply(s -> Views.empty(204, LambdaApi.newId()));
        });
    }

    private Route onList(String name, Optional<String> marker, Optional<String> maxItemsParam) {
        return LambdaApi.respond(() -> {
            FunctionRef ref = FunctionNames.parseUnqualified(name, settings.region(), settings.account());
            int maxItems = LambdaApi.maxItems(maxItemsParam, 50, 50);
            return functions.get(ref).handle((state, failure) -> {
                if (failure != null && ApiErrors.asLambdaException(failure).status() != 404) {
                    throw ApiErrors.asLambdaException(failure);
                }
                if (state == null) throw LambdaException.resourceNotFound("The function doesn't exist.");
                List<EventInvokeConfig> all = new ArrayList<>(state.invokeConfigs().values());
                int from = marker.map(m -> indexOf(all, m)).orElse(0);
                List<Object> page = new ArrayList<>();
                for (int i = from; i < all.size() && page.size() < maxItems; i++) {
                    FunctionRef qualified = new FunctionRef(ref.region(), ref.account(), ref.name(), all.get(i).qualifier());
                    page.add(view(qualified, all.get(i)));
                }
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("FunctionEventInvokeConfigs", page);
                if (from + page.size() < all.size()) response.put("NextMarker", all.get(from + page.size()).qualifier());
                return Views.json(200, response, LambdaApi.newId());
            });
        });
    }

    private static int indexOf(List<EventInvokeConfig> configs, String qualifier) {
        for (int i = 0; i < configs.size(); i++) {
            if (configs.get(i).qualifier().compareTo(qualifier) >= 0) return i;
        }
        return configs.size();
    }

    /** AWS's checks of the destinations themselves, after the model and the function (§2.3). */
    private CompletionStage<Void> checkDestinations(FunctionRef ref, String onSuccess, String onFailure) {
        String config = "DestinationConfig(onSuccess=" + (onSuccess == null ? "null" : "OnSuccess(destination=" + onSuccess + ")")
                + ", onFailure=" + (onFailure == null ? "null" : "OnFailure(destination=" + onFailure + ")") + ")";
        List<String> lambdas = new ArrayList<>();
        for (String destination : new String[] {onSuccess, onFailure}) {
            if (destination == null || destination.isEmpty() || WEBHOOK.matcher(destination).matches()) continue;
            String[] parts = destination.split(":", 4);
            String service = parts.length > 2 && parts[0].equals("arn") ? parts[2] : destination;
            boolean s3OnSuccess = service.equals("s3") && destination.equals(onSuccess);
            if (!SERVICES.contains(service) || s3OnSuccess) {
                throw LambdaException.invalidParameterValue("The provided destination config " + config + " is invalid.");
            }
            if (service.equals("lambda")) lambdas.add(destination);
        }
        return functions.list().thenAccept(all -> {
            for (String arn : lambdas) {
                FunctionRef target;
                try {
                    target = FunctionNames.parseQualified(arn, null, settings.region(), settings.account());
                } catch (LambdaException e) {
                    throw LambdaException.invalidParameterValue("The destination ARN " + arn + " is invalid.");
                }
                if (target.name().equals(ref.name())) {
                    throw LambdaException.invalidParameterValue("You can't specify the function as a destination for itself.");
                }
                if (!all.containsKey(target.name())) {
                    throw LambdaException.invalidParameterValue("The destination ARN " + arn + " is invalid.");
                }
            }
        });
    }

    /** The FunctionEventInvokeConfig shape: qualified ARN, LastModified in epoch seconds, both destination keys. */
    static Map<String, Object> view(FunctionRef ref, EventInvokeConfig config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("LastModified", BigDecimal.valueOf(config.lastModifiedEpochMs(), 3));
        body.put("FunctionArn", new FunctionRef(ref.region(), ref.account(), ref.name(), config.qualifier()).qualifiedArn());
        if (config.maximumRetryAttempts() != null) body.put("MaximumRetryAttempts", config.maximumRetryAttempts());
        if (config.maximumEventAgeInSeconds() != null) body.put("MaximumEventAgeInSeconds", config.maximumEventAgeInSeconds());
        Map<String, Object> destinations = new LinkedHashMap<>();
        destinations.put("OnSuccess", config.onSuccess() == null ? Map.of() : Map.of("Destination", config.onSuccess()));
        destinations.put("OnFailure", config.onFailure() == null ? Map.of() : Map.of("Destination", config.onFailure()));
        body.put("DestinationConfig", destinations);
        return body;
    }

    private static String destination(JsonNode side) {
        if (side == null || side.isNull()) return null;
        JsonNode d = side.get("Destination");
        return d == null || d.isNull() || d.asText().isEmpty() ? null : d.asText();
    }

    private static Integer intMember(JsonNode request, String member) {
        JsonNode v = request.get(member);
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToInt()) {
            throw LambdaException.invalidRequestContent("Could not parse request body into json: " + member + " must be an integer");
        }
        return v.asInt();
    }

    private static void range(List<String> violations, Integer value, String field, int min, int max) {
        if (value == null) return;
        if (value < min) violations.add("Value '" + value + "' at '" + field
                + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        if (value > max) violations.add("Value '" + value + "' at '" + field
                + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
    }

    private static void pattern(List<String> violations, String destination, String field) {
        if (destination == null || WEBHOOK.matcher(destination).matches()) return;
        if (!DESTINATION.matcher(destination).matches()) {
            violations.add("Value '" + destination + "' at '" + field + "' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + DESTINATION_PATTERN);
        }
    }

}
