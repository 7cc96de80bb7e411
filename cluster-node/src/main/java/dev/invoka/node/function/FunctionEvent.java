package dev.invoka.node.function;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.invoka.node.CborSerializable;
import dev.invoka.node.lifecycle.Condition;

/**
 * What a {@link FunctionEntity} journals. {@link Management} events change what the function is and are
 * tagged for the function index; the others are the life of its asynchronous events.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FunctionEvent.FunctionCreated.class, name = "created"),
        @JsonSubTypes.Type(value = FunctionEvent.ConfigurationUpdated.class, name = "updated"),
        @JsonSubTypes.Type(value = FunctionEvent.FunctionDeleted.class, name = "deleted"),
        @JsonSubTypes.Type(value = FunctionEvent.ConcurrencyPut.class, name = "concurrency-put"),
        @JsonSubTypes.Type(value = FunctionEvent.ConcurrencyDeleted.class, name = "concurrency-deleted"),
        @JsonSubTypes.Type(value = FunctionEvent.EventInvokeConfigPut.class, name = "invoke-config-put"),
        @JsonSubTypes.Type(value = FunctionEvent.EventInvokeConfigDeleted.class, name = "invoke-config-deleted"),
        @JsonSubTypes.Type(value = FunctionEvent.EventAccepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = FunctionEvent.RetryScheduled.class, name = "retry-scheduled"),
        @JsonSubTypes.Type(value = FunctionEvent.InvocationFinished.class, name = "finished"),
        @JsonSubTypes.Type(value = FunctionEvent.RecordDelivered.class, name = "record-delivered"),
        @JsonSubTypes.Type(value = FunctionEvent.RecordAbandoned.class, name = "record-abandoned")
})
public sealed interface FunctionEvent extends CborSerializable {

    /** Tag under which the index reads the management events. */
    String INDEX_TAG = "function";

    /** Changes what the function is: folded by {@link FunctionState} here and in the index. */
    sealed interface Management extends FunctionEvent {}

    /** The life of an async event: folded by {@link AsyncQueue}. */
    sealed interface Async extends FunctionEvent {}

    record FunctionCreated(FunctionConfig config) implements Management {}

    record ConfigurationUpdated(FunctionConfig config) implements Management {}

    record FunctionDeleted(String name) implements Management {}

    record ConcurrencyPut(int reservedConcurrentExecutions) implements Management {}

    record ConcurrencyDeleted(String name) implements Management {}

    record EventInvokeConfigPut(EventInvokeConfig config) implements Management {}

    record EventInvokeConfigDeleted(String qualifier) implements Management {}

    /**
     * An Event invoke, durable: the 202 is sent after this is journaled.
     *
     * @param hops      how many Lambda destinations this event has already passed through (loop guard)
     * @param redriveOf the request id of the failed event this one re-runs (redrive), or null
     */
    record EventAccepted(String requestId, String qualifier, String invokedArn, byte[] payload, long acceptedAtMs,
                         int hops, String redriveOf) implements Async {}

    /**
     * An attempt ended in a function error, throttle or system error, and the event runs again at
     * {@code dueAtMs}. {@code lastError} is the last function error (the failure record's payload), or null.
     */
    record RetryScheduled(String requestId, int attempts, int throttles, long dueAtMs, byte[] lastError)
            implements Async {}

    /**
     * The event's terminal outcome. {@code response} is the function's result (Success) or its last error
     * (null when it never ran). {@code destination} is where the record goes and {@code deadLetter} where
     * the event goes (failures only); null: nowhere.
     */
    record InvocationFinished(String requestId, Condition condition, int attempts, byte[] response, long atMs,
                              String destination, String deadLetter) implements Async {}

    /** Where an outcome is sent: its record to the destination, or its event to the dead-letter queue. */
    enum Target { DESTINATION, DEAD_LETTER }

    /** The target acknowledged. */
    record RecordDelivered(String requestId, Target target, long atMs) implements Async {}

    /** The target could not be reached within the retry budget, or never can be (counted, kept visible). */
    record RecordAbandoned(String requestId, Target target, String reason, long atMs) implements Async {}
}
