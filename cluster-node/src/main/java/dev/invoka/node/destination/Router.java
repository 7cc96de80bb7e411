package dev.invoka.node.destination;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link DestinationRouter} of a node: picks the adapter by the target's service ({@code lambda},
 * {@code sqs}, {@code sns}, {@code events} from the ARN; {@code http}/{@code https} URLs). Lambda
 * destinations are async invokes of Invoka functions; a chain of them stops after {@link #MAX_HOPS}
 * hops (AWS's recursion limit). A service without an adapter is a permanent failure.
 */
public final class Router implements DestinationRouter {

    public static final int MAX_HOPS = 16;

    /** Accepts a record as the payload of an Event invoke of an Invoka function. */
    public interface LambdaTarget {
        CompletionStage<Void> enqueue(String functionArn, byte[] payload, int hops);
    }

    private final LambdaTarget lambda;
    private final Map<String, DestinationRouter> adapters;

    /**
     * @param lambda   Lambda destinations
     * @param adapters the other adapters by service name ({@code sqs}, {@code sns}, {@code events}, {@code http})
     */
    public Router(LambdaTarget lambda, Map<String, DestinationRouter> adapters) {
        this.lambda = lambda;
        this.adapters = Map.copyOf(adapters);
    }

    @Override
    public CompletionStage<Void> deliver(Delivery d) {
        String service = serviceOf(d.target());
        if (service.equals("lambda") && !d.deadLetter()) {
            if (d.hops() + 1 >= MAX_HOPS) {
                return CompletableFuture.failedFuture(new DeliveryException(
                        "the chain of Lambda destinations reached " + MAX_HOPS + " hops (recursion stopped)", true));
            }
            return lambda.enqueue(d.target(), d.body(), d.hops() + 1);
        }
        DestinationRouter adapter = adapters.get(service.equals("https") ? "http" : service);
        if (adapter == null) {
            return CompletableFuture.failedFuture(new DeliveryException(
                    "no adapter for " + service + (d.deadLetter() ? " dead-letter queues" : " destinations"), true));
        }
        return adapter.deliver(d);
    }

    /** {@code sqs} for {@code arn:aws:sqs:...}, {@code http} for {@code http://...}. */
    public static String serviceOf(String target) {
        String[] parts = target.split(":", 4);
        return parts.length > 2 && parts[0].equals("arn") ? parts[2] : parts[0];
    }
}
