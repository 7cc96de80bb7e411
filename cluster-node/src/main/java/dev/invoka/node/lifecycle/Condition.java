package dev.invoka.node.lifecycle;

/** The {@code condition} of an invocation record (docs/lambda-spec.md §3.4), spelled as AWS spells it. */
public enum Condition {
    Success,
    RetriesExhausted,
    EventAgeExceeded,
    ZeroReservedConcurrency;

    public boolean isFailure() {
        return this != Success;
    }
}
