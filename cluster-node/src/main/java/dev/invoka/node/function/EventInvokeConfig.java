package dev.invoka.node.function;

import dev.invoka.node.CborSerializable;
import dev.invoka.node.lifecycle.AsyncPolicy;
import dev.invoka.node.lifecycle.Condition;

/**
 * A qualifier's event invoke config (PutFunctionEventInvokeConfig). Absent members are null: AWS returns
 * them absent, and the runtime defaults apply (2 retries, 21,600 s).
 */
public record EventInvokeConfig(
        String qualifier,
        Integer maximumRetryAttempts,
        Integer maximumEventAgeInSeconds,
        String onSuccess,
        String onFailure,
        long lastModifiedEpochMs) implements CborSerializable {

    public AsyncPolicy policy(double timeScale) {
        return AsyncPolicy.of(maximumRetryAttempts, maximumEventAgeInSeconds, timeScale);
    }

    /** The destination for a record of this condition, or null. */
    public String destinationFor(Condition condition) {
        return condition.isFailure() ? onFailure : onSuccess;
    }

    /**
     * UpdateFunctionEventInvokeConfig: members present in {@code change} replace, others stay. Each side of
     * DestinationConfig is a member of its own: {@code {"OnFailure":{...}}} keeps OnSuccess.
     */
    public EventInvokeConfig mergedWith(EventInvokeConfig change, boolean onSuccessGiven, boolean onFailureGiven) {
        return new EventInvokeConfig(qualifier,
                change.maximumRetryAttempts() != null ? change.maximumRetryAttempts() : maximumRetryAttempts,
                change.maximumEventAgeInSeconds() != null ? change.maximumEventAgeInSeconds() : maximumEventAgeInSeconds,
                onSuccessGiven ? change.onSuccess() : onSuccess,
                onFailureGiven ? change.onFailure() : onFailure,
                change.lastModifiedEpochMs());
    }
}
