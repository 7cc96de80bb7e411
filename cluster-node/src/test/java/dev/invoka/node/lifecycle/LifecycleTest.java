package dev.invoka.node.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifecycleTest {

    static final AsyncPolicy DEFAULTS = AsyncPolicy.of(null, null, 1.0);

    @Test
    void defaultsAreAwsDefaults() {
        assertEquals(2, DEFAULTS.maximumRetryAttempts());
        assertEquals(21_600_000L, DEFAULTS.maximumEventAgeMs());
    }

    @Test
    void functionErrorsRetryAfterOneThenTwoMinutes() {
        assertEquals(new Decision.Retry(200 + 60_000), Lifecycle.afterFunctionError(1, 0, 200, DEFAULTS));
        assertEquals(new Decision.Retry(60_400 + 120_000), Lifecycle.afterFunctionError(2, 0, 60_400, DEFAULTS));
        assertEquals(new Decision.Discard(Condition.RetriesExhausted), Lifecycle.afterFunctionError(3, 0, 180_600, DEFAULTS));
    }

    @Test
    void zeroRetriesDiscardAfterTheFirstAttempt() {
        AsyncPolicy none = AsyncPolicy.of(0, null, 1.0);
        assertEquals(new Decision.Discard(Condition.RetriesExhausted), Lifecycle.afterFunctionError(1, 0, 10, none));
    }

    @Test
    void ageLookAheadMatchesTheAwsRecordings() {
        // MaximumEventAgeInSeconds=60: the first failure is reported at once (count 1)
        AsyncPolicy sixty = AsyncPolicy.of(2, 60, 1.0);
        assertEquals(new Decision.Discard(Condition.EventAgeExceeded), Lifecycle.afterFunctionError(1, 0, 200, sixty));
        // 90 s: the retry at ~60 s fits, the next one at ~+120 s does not (count 2)
        AsyncPolicy ninety = AsyncPolicy.of(2, 90, 1.0);
        assertEquals(new Decision.Retry(60_200), Lifecycle.afterFunctionError(1, 0, 200, ninety));
        assertEquals(new Decision.Discard(Condition.EventAgeExceeded), Lifecycle.afterFunctionError(2, 0, 60_400, ninety));
    }

    @Test
    void timeScaleShrinksDelaysAndAges() {
        AsyncPolicy fast = AsyncPolicy.of(2, 90, 0.01);
        assertEquals(900, fast.maximumEventAgeMs());
        assertEquals(new Decision.Retry(10 + 600), Lifecycle.afterFunctionError(1, 0, 10, fast));
        assertEquals(new Decision.Discard(Condition.EventAgeExceeded), Lifecycle.afterFunctionError(2, 0, 620, fast));
    }

    @ParameterizedTest
    @CsvSource({"0,1000", "1,2000", "2,4000", "8,256000", "9,300000", "30,300000", "1000,300000"})
    void throttleBackoffDoublesToFiveMinutes(int throttlesBefore, long expected) {
        assertEquals(expected, Lifecycle.throttleBackoffMs(throttlesBefore));
    }

    @Test
    void throttlesAreBoundedOnlyByAge() {
        AsyncPolicy policy = AsyncPolicy.of(0, 60, 1.0);
        assertEquals(new Decision.Retry(5_000 + 4_000), Lifecycle.afterThrottle(2, 0, 0, 5_000, policy));
        assertEquals(new Decision.Discard(Condition.EventAgeExceeded), Lifecycle.afterThrottle(6, 0, 0, 5_000, policy));
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackoff() {
        assertEquals(new Decision.Retry(100 + 7_000), Lifecycle.afterThrottle(0, 7_000, 0, 100, DEFAULTS));
        assertEquals(new Decision.Retry(100 + 1_000), Lifecycle.afterThrottle(0, 500, 0, 100, DEFAULTS));
    }

    @Test
    void expiryIsStrictlyPastTheMaximumAge() {
        AsyncPolicy policy = AsyncPolicy.of(null, 60, 1.0);
        assertFalse(Lifecycle.expired(0, 60_000, policy));
        assertTrue(Lifecycle.expired(0, 60_001, policy));
        assertEquals(60_001, Lifecycle.expiresAtMs(0, policy));
    }
}
