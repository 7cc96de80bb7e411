package dev.invoka.node.destination;

import dev.invoka.node.Settings;
import dev.invoka.node.function.Functions;
import dev.invoka.protocol.FunctionNames;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.LambdaException;
import dev.invoka.protocol.Payloads;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lambda destination: the record becomes the payload of an Event invoke of that Invoka function,
 * acknowledged once the destination function journaled it. A destination function that does not exist,
 * or a record over the 1 MB limit of an Event invoke, is a permanent failure.
 */
public final class LambdaDestination implements Router.LambdaTarget {

    private final Functions functions;
    private final Settings settings;

    public LambdaDestination(Functions functions, Settings settings) {
        this.functions = functions;
        this.settings = settings;
    }

    @Override
    public CompletionStage<Void> enqueue(String functionArn, byte[] payload, int hops) {
        if (payload.length > Payloads.ASYNC_LIMIT) {
            return CompletableFuture.failedFuture(new DeliveryException("the record (" + payload.length
                    + " bytes) is over the " + Payloads.ASYNC_LIMIT + "-byte limit of an Event invoke", true));
        }
        FunctionRef ref;
        try {
            ref = FunctionNames.parseQualified(functionArn, null, settings.region(), settings.account());
        } catch (LambdaException e) {
            return CompletableFuture.failedFuture(new DeliveryException(e.getMessage(), true));
        }
        return functions.enqueue(ref, UUID.randomUUID().toString(), payload, hops)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    boolean missing = cause instanceof LambdaException le && le.status() == 404;
                    throw new DeliveryException(cause.getMessage(), missing);
                });
    }
}
