package dev.invoka.node.lifecycle;

/**
 * The rules of the asynchronous lifecycle (docs/lambda-spec.md §3.3), as pure functions of the event's
 * history, its policy and {@code now}. No clock, no actors: the entity asks, these answer.
 *
 * <p>Function errors (code errors, crashes, timeouts) are retried {@code MaximumRetryAttempts} times,
 * 60 s after the first failure and 120 s after the second (scaled). Throttles and system errors go back to
 * the queue after 1 s, doubling to at most 5 min (scaled), or after the endpoint's Retry-After if that is
 * longer; only the event's age bounds them. Before any retry is scheduled, the age look-ahead discards
 * the event if the retry would land past its maximum age.
 *
 * <p>Worked example, defaults, time scale 1, accepted at t=0: attempt 1 fails at t=0.2 s → retry at
 * 60.2 s; attempt 2 fails at 60.4 s → retry at 180.4 s; attempt 3 fails → RetriesExhausted with
 * approximateInvokeCount 3. With {@code MaximumEventAgeInSeconds=90}: attempt 1 fails at 0.2 s → 60.2 s
 * fits → retry; attempt 2 fails at 60.4 s → 60.4 + 120 > 90 → EventAgeExceeded at once, count 2
 * (AWS-recorded). With 60 s: 0.2 + 60 > 60 → EventAgeExceeded after the first attempt.
 *
 * <p>Caveats: "age" is measured from the accept (the 202), not the attempt; the first attempt of an
 * event is never refused by the look-ahead, only by {@link #expired} while it waits.
 */
public final class Lifecycle {

    static final long FIRST_RETRY_MS = 60_000;
    static final long THROTTLE_BASE_MS = 1_000;
    static final long THROTTLE_MAX_MS = 300_000;

    private Lifecycle() {}

    /** After the {@code attemptsDone}-th attempt ended in a function error. */
    public static Decision afterFunctionError(int attemptsDone, long acceptedAtMs, long nowMs, AsyncPolicy policy) {
        if (attemptsDone > policy.maximumRetryAttempts()) return new Decision.Discard(Condition.RetriesExhausted);
        long delay = policy.scaled(FIRST_RETRY_MS * attemptsDone);
        return lookAhead(acceptedAtMs, nowMs, delay, policy);
    }

    /**
     * After a throttle or a system error, the {@code throttlesBefore + 1}-th for this event.
     *
     * @param retryAfterMs the endpoint's Retry-After in real milliseconds, or 0
     */
    public static Decision afterThrottle(int throttlesBefore, long retryAfterMs, long acceptedAtMs, long nowMs,
                                         AsyncPolicy policy) {
        long delay = Math.max(policy.scaled(throttleBackoffMs(throttlesBefore)), retryAfterMs);
        return lookAhead(acceptedAtMs, nowMs, delay, policy);
    }

    /** 1 s, 2 s, 4 s ... capped at 5 min (unscaled). */
    public static long throttleBackoffMs(int throttlesBefore) {
        if (throttlesBefore >= 20) return THROTTLE_MAX_MS;
        return Math.min(THROTTLE_BASE_MS << throttlesBefore, THROTTLE_MAX_MS);
    }

    /** Whether a waiting event is past its maximum age and must be discarded before any attempt. */
    public static boolean expired(long acceptedAtMs, long nowMs, AsyncPolicy policy) {
        return nowMs - acceptedAtMs > policy.maximumEventAgeMs();
    }

    /** When a waiting event will expire (epoch ms): the first instant at which {@link #expired} is true. */
    public static long expiresAtMs(long acceptedAtMs, AsyncPolicy policy) {
        return acceptedAtMs + policy.maximumEventAgeMs() + 1;
    }

    private static Decision lookAhead(long acceptedAtMs, long nowMs, long delayMs, AsyncPolicy policy) {
        long ageAtRetry = nowMs - acceptedAtMs + delayMs;
        if (ageAtRetry > policy.maximumEventAgeMs()) return new Decision.Discard(Condition.EventAgeExceeded);
        return new Decision.Retry(nowMs + delayMs);
    }
}
