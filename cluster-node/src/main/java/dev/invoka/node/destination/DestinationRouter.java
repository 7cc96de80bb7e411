package dev.invoka.node.destination;

import java.util.concurrent.CompletionStage;

/**
 * Sends invocation records to destinations and events to dead-letter queues, one adapter per kind of
 * target, chosen by the ARN. The stage completes when the target acknowledged, and fails otherwise
 * ({@link DeliveryException} says whether trying again can help).
 */
public interface DestinationRouter {

    CompletionStage<Void> deliver(Delivery delivery);
}
