package dev.invoka.node.destination;

import java.util.concurrent.CompletionStage;

/**
 * Delivers invocation records to destinations, one adapter per kind of target, chosen by the ARN.
 * The stage completes when the target acknowledged the record, and fails otherwise
 * ({@link DeliveryException} says whether trying again can help).
 */
public interface DestinationRouter {

    /**
     * @param destination the destination ARN (or URL)
     * @param record      the record's JSON
     * @param hops        how many Lambda destinations the event behind the record has passed through
     */
    CompletionStage<Void> deliver(String destination, byte[] record, int hops);
}
