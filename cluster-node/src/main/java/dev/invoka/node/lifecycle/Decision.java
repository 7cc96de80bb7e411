package dev.invoka.node.lifecycle;

/** What to do with an event after an attempt or while it waits. */
public sealed interface Decision {

    /** Run it again at {@code dueAtMs} (epoch ms). */
    record Retry(long dueAtMs) implements Decision {}

    /** Give up: a failure record with this condition goes to OnFailure and the dead-letter queue. */
    record Discard(Condition condition) implements Decision {}
}
