package dev.invoka.node.lifecycle;

/**
 * The async settings in force for one event: its qualifier's event invoke config (or AWS's defaults) and
 * the node's time scale. Durations here are already scaled, in milliseconds.
 *
 * @param maximumRetryAttempts function-error retries after the first attempt (0..2, default 2)
 * @param maximumEventAgeMs    scaled maximum event age (default 21,600 s × time scale)
 * @param timeScale            factor on every lifecycle duration
 */
public record AsyncPolicy(int maximumRetryAttempts, long maximumEventAgeMs, double timeScale) {

    public static final int DEFAULT_RETRIES = 2;
    public static final int DEFAULT_MAX_AGE_SECONDS = 21_600;

    /** From a config's two optional members; null means AWS's default. */
    public static AsyncPolicy of(Integer retries, Integer maxAgeSeconds, double timeScale) {
        int r = retries == null ? DEFAULT_RETRIES : retries;
        int age = maxAgeSeconds == null ? DEFAULT_MAX_AGE_SECONDS : maxAgeSeconds;
        return new AsyncPolicy(r, scale(age * 1000L, timeScale), timeScale);
    }

    public long scaled(long realMs) {
        return scale(realMs, timeScale);
    }

    static long scale(long ms, double timeScale) {
        return Math.round(ms * timeScale);
    }
}
