package dev.invoka.node.destination;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link DestinationRouter} of a node: picks the adapter by the destination's service. Lambda
 * destinations are async invokes of Invoka functions; a chain of them stops after
 * {@link #MAX_HOPS} hops (AWS's recursion limit).
 */
public final class Router implements DestinationRouter {

    public static final int MAX_HOPS = 16;

    /** Accepts a record as the payload of an Event invoke of an Invoka function. */
    public interface LambdaTarget {
        CompletionStage<Void> enqueue(String functionArn, byte[] payload, int hops);
    }

    private final LambdaTarget lambda;

    public Router(LambdaTarget lambda) {
        this.lambda = lambda;
    }

    @Override
    public CompletionStage<Void> deliver(String destination, byte[] record, int hops) {
        String service = serviceOf(destination);
        if (service.equals("lambda")) {
            if (hops + 1 >= MAX_HOPS) {
                return CompletableFuture.failedFuture(new DeliveryException(
                        "the chain of Lambda destinations reached " + MAX_HOPS + " hops (recursion stopped)", true));
            }
            return lambda.enqueue(destination, record, hops + 1);
        }
        return CompletableFuture.failedFuture(new DeliveryException(
                "no adapter for " + service + " destinations on this node", true));
    }

    static String serviceOf(String destination) {
        String[] parts = destination.split(":", 4);
        return parts.length > 2 && parts[0].equals("arn") ? parts[2] : destination.split(":", 2)[0];
    }
}
