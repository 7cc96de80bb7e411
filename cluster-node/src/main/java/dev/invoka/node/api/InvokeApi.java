package dev.invoka.node.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import dev.invoka.node.Settings;
import dev.invoka.node.function.FunctionEntity;
import dev.invoka.node.function.Functions;
import dev.invoka.node.runtime.InvocationResult;
import dev.invoka.protocol.FunctionNames;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.LambdaException;
import dev.invoka.protocol.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations}: validation in AWS's order (name and
 * qualifier, invocation type, size, JSON), then RequestResponse (200, function errors as 200 with
 * {@code X-Amz-Function-Error: Unhandled}) or DryRun (204).
 */
final class InvokeApi {

    private static final List<String> TYPES = List.of("Event", "RequestResponse", "DryRun");

    private final Functions functions;
    private final Settings settings;

    InvokeApi(Functions functions, Settings settings) {
        this.functions = functions;
        this.settings = settings;
    }

    Route route(String functionName) {
        return post(() -> parameterOptional("Qualifier", qualifier ->
                optionalHeaderValueByName("X-Amz-Invocation-Type", type ->
                        optionalHeaderValueByName("X-Amz-Log-Type", logType ->
                                entity(Unmarshaller.entityToByteString(), body -> LambdaApi.respond(() ->
                                        invoke(functionName, qualifier, type.orElse("RequestResponse"),
                                                logType.orElse("None"), body.toArray())))))));
    }

    private CompletionStage<HttpResponse> invoke(String functionName, Optional<String> qualifier, String type,
                                                 String logType, byte[] body) {
        FunctionRef ref = FunctionNames.parseQualified(functionName, qualifier.orElse(null),
                settings.region(), settings.account());
        if (!TYPES.contains(type)) {
            throw LambdaException.validation(List.of("Value '" + type + "' at 'invocationType' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
        }
        boolean async = type.equals("Event");
        if (body.length > (async ? Payloads.ASYNC_LIMIT : Payloads.SYNC_LIMIT)) throw Payloads.tooLarge(body.length, async);
        byte[] payload = Payloads.requireJson(body);
        FunctionRef latest = qualifiedLatest(ref);
        String requestId = UUID.randomUUID().toString();
        return switch (type) {
            case "DryRun" -> functions.get(latest).thenApply(s -> Views.empty(204, requestId));
            case "Event" -> functions.enqueue(latest, requestId, payload, 0).thenApply(done -> Views.empty(202, requestId));
            default -> functions.invokeSync(latest, requestId, payload)
                    .thenApply(invoked -> syncResponse(invoked, requestId, logType.equals("Tail")));
        };
    }

    private static FunctionRef qualifiedLatest(FunctionRef ref) {
        if (ref.qualifier() != null && !ref.qualifier().equals("$LATEST")) {
            throw LambdaException.functionNotFound(ref.qualifiedArn());
        }
        return ref;
    }

    private static HttpResponse syncResponse(FunctionEntity.Invoked invoked, String requestId, boolean tail) {
        InvocationResult result = invoked.result();
        if (result instanceof InvocationResult.Throttled throttled) {
            Integer retryAfter = throttled.retryAfter() == null ? null
                    : (int) Math.max(1, Math.ceil(throttled.retryAfter().toMillis() / 1000.0));
            throw LambdaException.tooManyRequests("ConcurrentInvocationLimitExceeded", "Rate Exceeded.", retryAfter);
        }
        if (result instanceof InvocationResult.SystemError error) {
            throw LambdaException.service("The function could not be run: " + error.message());
        }
        HttpResponse response = HttpResponse.create().withStatus(200)
                .addHeader(RawHeader.create("x-amzn-RequestId", requestId))
                .addHeader(RawHeader.create("X-Amz-Executed-Version", invoked.executedVersion()));
        byte[] payload;
        String log;
        if (result instanceof InvocationResult.FunctionError error) {
            response = response.addHeader(RawHeader.create("X-Amz-Function-Error", "Unhandled"));
            payload = error.payload();
            log = error.errorType() + ": " + error.errorMessage() + "\n";
        } else {
            payload = ((InvocationResult.Success) result).payload();
            log = "";
        }
        if (tail) {
            String lines = "START RequestId: " + requestId + " Version: " + invoked.executedVersion() + "\n" + log
                    + "END RequestId: " + requestId + "\n";
            response = response.addHeader(RawHeader.create("X-Amz-Log-Result",
                    Base64.getEncoder().encodeToString(lines.getBytes(StandardCharsets.UTF_8))));
        }
        return response.withEntity(ContentTypes.APPLICATION_JSON, payload);
    }
}
