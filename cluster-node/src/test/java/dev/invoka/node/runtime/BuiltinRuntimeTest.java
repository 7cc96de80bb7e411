package dev.invoka.node.runtime;

import static dev.invoka.node.runtime.TestRequests.await;
import static dev.invoka.node.runtime.TestRequests.request;
import static dev.invoka.node.runtime.TestRequests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltinRuntimeTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BuiltinRuntime runtime = new BuiltinRuntime(scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private InvocationResult invoke(String handler, Map<String, String> env) {
        return await(runtime.invoke(request(handler, env, "{\"n\":1}", 3)));
    }

    @Test
    void echoReturnsTheEventUnchanged() {
        InvocationResult.Success ok = assertInstanceOf(InvocationResult.Success.class, invoke("echo", Map.of()));
        assertEquals("{\"n\":1}", text(ok.payload()));
    }

    @Test
    void echoOfAnEmptyEventIsNullJson() {
        var ok = await(runtime.invoke(request("echo", Map.of(), "", 3)), InvocationResult.Success.class);
        assertEquals("null", text(ok.payload()));
    }

    @Test
    void echoIgnoresOtherHandlersVariables() {
        assertInstanceOf(InvocationResult.Success.class, invoke("echo", Map.of("FAIL_RATE", "abc")));
    }

    @Test
    void failHasDefaultsAndThePythonShape() {
        InvocationRequest req = request("req-1", "fail", Map.of(), "{}", 3, System.currentTimeMillis() + 3000);
        var error = await(runtime.invoke(req), InvocationResult.FunctionError.class);
        assertEquals("Error", error.errorType());
        assertEquals("Intentional failure", error.errorMessage());
        assertEquals("{\"errorMessage\":\"Intentional failure\",\"errorType\":\"Error\",\"requestId\":\"req-1\","
                + "\"stackTrace\":[]}", text(error.payload()));
    }

    @Test
    void failUsesErrorTypeAndMessageFromTheEnvironment() {
        var error = assertInstanceOf(InvocationResult.FunctionError.class,
                invoke("fail", Map.of("ERROR_TYPE", "ValueError", "ERROR_MESSAGE", "bad \"value\"")));
        assertEquals("ValueError", error.errorType());
        assertEquals("bad \"value\"", error.errorMessage());
        assertTrue(text(error.payload()).startsWith(
                "{\"errorMessage\":\"bad \\\"value\\\"\",\"errorType\":\"ValueError\",\"requestId\":"));
    }

    @Test
    void failThenSucceedFailsOnceByDefault() {
        String id = UUID.randomUUID().toString();
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(runtime, id, Map.of()));
        var ok = assertInstanceOf(InvocationResult.Success.class, attempt(runtime, id, Map.of()));
        assertEquals("{\"n\":1}", text(ok.payload()));
        assertInstanceOf(InvocationResult.Success.class, attempt(runtime, id, Map.of()));
    }

    @Test
    void failThenSucceedCountsEachRequestIdSeparately() {
        Map<String, String> env = Map.of("FAIL_TIMES", "2");
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(runtime, "a", env));
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(runtime, "b", env));
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(runtime, "a", env));
        assertInstanceOf(InvocationResult.Success.class, attempt(runtime, "a", env));
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(runtime, "b", env));
        assertInstanceOf(InvocationResult.Success.class, attempt(runtime, "b", env));
    }

    @Test
    void failThenSucceedWithZeroFailTimesEchoes() {
        assertInstanceOf(InvocationResult.Success.class, attempt(runtime, "z", Map.of("FAIL_TIMES", "0")));
    }

    @Test
    void failThenSucceedForgetsTheLeastRecentlyUsedRequestId() {
        BuiltinRuntime small = new BuiltinRuntime(scheduler, RandomGenerator::getDefault, Clock.systemUTC(), 2);
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(small, "a", Map.of()));
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(small, "b", Map.of()));
        assertInstanceOf(InvocationResult.Success.class, attempt(small, "a", Map.of())); // a is now recent
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(small, "c", Map.of())); // evicts b
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(small, "b", Map.of())); // counts again
        assertInstanceOf(InvocationResult.FunctionError.class, attempt(small, "a", Map.of())); // evicted by b
    }

    @Test
    void failThenSucceedRejectsABadFailTimes() {
        for (String bad : List.of("-1", "two", "1.5")) {
            assertInvalid(attempt(runtime, "x", Map.of("FAIL_TIMES", bad)), "FAIL_TIMES", bad);
        }
    }

    @Test
    void flakyFailsWhenTheDrawIsBelowTheRate() {
        assertInstanceOf(InvocationResult.FunctionError.class, flaky(0.49, Map.of()));
        assertInstanceOf(InvocationResult.Success.class, flaky(0.5, Map.of()));
        assertInstanceOf(InvocationResult.FunctionError.class, flaky(0.29, Map.of("FAIL_RATE", "0.3")));
        assertInstanceOf(InvocationResult.Success.class, flaky(0.31, Map.of("FAIL_RATE", "0.3")));
        assertInstanceOf(InvocationResult.FunctionError.class, flaky(0.999, Map.of("FAIL_RATE", "1")));
        assertInstanceOf(InvocationResult.Success.class, flaky(0.0, Map.of("FAIL_RATE", "0")));
    }

    @Test
    void flakyWithThreadLocalRandomHonoursTheExtremes() {
        for (int i = 0; i < 20; i++) {
            assertInstanceOf(InvocationResult.Success.class, invoke("flaky", Map.of("FAIL_RATE", "0")));
            var error = assertInstanceOf(InvocationResult.FunctionError.class,
                    invoke("flaky", Map.of("FAIL_RATE", "1.0", "ERROR_TYPE", "Flake")));
            assertEquals("Flake", error.errorType());
        }
    }

    @Test
    void flakyRejectsABadFailRate() {
        for (String bad : List.of("abc", "1.5", "-0.1", "NaN")) {
            assertInvalid(invoke("flaky", Map.of("FAIL_RATE", bad)), "FAIL_RATE", bad);
        }
    }

    @Test
    void sleepEchoesAfterSleepMsWithoutBlockingTheCaller() {
        long start = System.nanoTime();
        CompletionStage<InvocationResult> stage = runtime.invoke(request("sleep", Map.of("SLEEP_MS", "150"), "7", 1));
        assertFalse(stage.toCompletableFuture().isDone());
        var ok = await(stage, InvocationResult.Success.class);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(145));
        assertEquals("7", text(ok.payload()));
    }

    @Test
    void sleepTimesOutAtTheDeadline() {
        long start = System.nanoTime();
        InvocationRequest req = request("sleep-1", "sleep", Map.of("SLEEP_MS", "5000"), "{}", 1,
                System.currentTimeMillis() + 1000);
        var error = await(runtime.invoke(req), InvocationResult.FunctionError.class);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMs >= 900 && elapsedMs < 1500, "took " + elapsedMs + " ms");
        assertEquals("Sandbox.Timedout", error.errorType());
        assertEquals("RequestId: sleep-1 Error: Task timed out after 1.00 seconds", error.errorMessage());
    }

    @Test
    void sleepDefaultsToOneSecondAndWaitsAtMostUntilTheDeadline() {
        RecordingScheduler recording = new RecordingScheduler();
        try {
            BuiltinRuntime fast = new BuiltinRuntime(recording);
            assertInstanceOf(InvocationResult.Success.class,
                    await(fast.invoke(request("sleep", Map.of(), "{}", 3))));
            assertEquals(1000L, recording.delays.get(0));

            var error = await(fast.invoke(request("sleep", Map.of("SLEEP_MS", "60000"), "{}", 3)),
                    InvocationResult.FunctionError.class);
            assertTrue(error.errorMessage().endsWith("Task timed out after 3.00 seconds"), error.errorMessage());
            long waited = recording.delays.get(1);
            assertTrue(waited > 2900 && waited <= 3000, "waited " + waited);
        } finally {
            recording.shutdownNow();
        }
    }

    @Test
    void sleepRejectsABadSleepMs() {
        assertInvalid(invoke("sleep", Map.of("SLEEP_MS", "1s")), "SLEEP_MS", "1s");
        assertInvalid(invoke("sleep", Map.of("SLEEP_MS", "-5")), "SLEEP_MS", "-5");
    }

    @Test
    void sleepOnAStoppedSchedulerIsASystemError() {
        scheduler.shutdownNow();
        assertInstanceOf(InvocationResult.SystemError.class, invoke("sleep", Map.of("SLEEP_MS", "10")));
    }

    @Test
    void unknownHandlerIsHandlerNotFound() {
        var error = assertInstanceOf(InvocationResult.FunctionError.class, invoke("index.handler", Map.of()));
        assertEquals("Runtime.HandlerNotFound", error.errorType());
        assertEquals("index.handler is not a builtin handler; use one of echo, fail, fail-then-succeed, flaky, sleep",
                error.errorMessage());
        assertTrue(text(error.payload()).contains("\"errorType\":\"Runtime.HandlerNotFound\""));
    }

    private InvocationResult flaky(double draw, Map<String, String> env) {
        RandomGenerator fixed = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return draw;
            }
        };
        return await(new BuiltinRuntime(scheduler, fixed).invoke(request("flaky", env, "{}", 3)));
    }

    private static InvocationResult attempt(BuiltinRuntime runtime, String requestId, Map<String, String> env) {
        return await(runtime.invoke(request(requestId, "fail-then-succeed", env, "{\"n\":1}", 3,
                System.currentTimeMillis() + 3000)));
    }

    private static void assertInvalid(InvocationResult result, String variable, String value) {
        var error = assertInstanceOf(InvocationResult.FunctionError.class, result);
        assertEquals("Runtime.InvalidConfiguration", error.errorType());
        assertTrue(error.errorMessage().contains(variable) && error.errorMessage().endsWith("got: " + value),
                error.errorMessage());
    }

    /** Runs scheduled tasks at once and records the delays asked for. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            return super.schedule(command, 0, unit);
        }
    }
}
