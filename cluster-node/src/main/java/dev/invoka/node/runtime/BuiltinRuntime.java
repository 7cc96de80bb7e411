package dev.invoka.node.runtime;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The {@code builtin} runtime: test functions that need no code, selected by the function's Handler and
 * configured by its environment variables.
 *
 * <ul>
 *   <li>{@code echo}: returns the event unchanged (an empty event returns JSON {@code null}).</li>
 *   <li>{@code fail}: a function error {@code {"errorMessage":ERROR_MESSAGE,"errorType":ERROR_TYPE,
 *       "requestId":id,"stackTrace":[]}}; defaults {@code "Intentional failure"} and {@code "Error"}.</li>
 *   <li>{@code fail-then-succeed}: fails like {@code fail} for the first {@code FAIL_TIMES} attempts
 *       (default 1) of each request id, then echoes.</li>
 *   <li>{@code flaky}: fails like {@code fail} with probability {@code FAIL_RATE} (default 0.5), else echoes.</li>
 *   <li>{@code sleep}: echoes after {@code SLEEP_MS} (default 1000) milliseconds, or returns
 *       {@code Sandbox.Timedout} when the deadline comes first.</li>
 * </ul>
 *
 * <p>Contract: {@link #invoke} never throws, never blocks and its stage never fails. An unknown handler is
 * the function error {@code Runtime.HandlerNotFound}; an unparsable variable is
 * {@code Runtime.InvalidConfiguration}; a handler reads only its own variables. Only {@code sleep} takes time;
 * it holds no thread while it waits (it uses the scheduler given to the constructor) and completes by the
 * deadline. If the scheduler refuses the task (it was shut down) the outcome is a
 * {@link InvocationResult.SystemError}.
 *
 * <p>Known caveat: {@code fail-then-succeed} counts attempts in this node's memory, in an LRU map of at most
 * {@link #MAX_TRACKED_REQUESTS} request ids. After a node restart, after the request id's entity moves to
 * another node, or after the id is evicted, that request id starts counting from zero again (so it fails
 * again); it never fails more than {@code FAIL_TIMES} times in a row on one node.
 */
public final class BuiltinRuntime implements FunctionRuntime {

    /** The runtime name a function configures: {@code Runtime: "builtin"}. */
    public static final String NAME = "builtin";

    /** The handlers this runtime knows, in the order error messages list them. */
    public static final List<String> HANDLERS = List.of("echo", "fail", "fail-then-succeed", "flaky", "sleep");

    /** How many request ids {@code fail-then-succeed} remembers; the least recently used is forgotten first. */
    public static final int MAX_TRACKED_REQUESTS = 100_000;

    private static final String INVALID = "Runtime.InvalidConfiguration";

    private final ScheduledExecutorService scheduler;
    private final Supplier<RandomGenerator> random;
    private final Clock clock;
    private final Map<String, Integer> attempts;

    /** The production runtime: {@code flaky} draws from {@link ThreadLocalRandom}. */
    public BuiltinRuntime(ScheduledExecutorService scheduler) {
        this(scheduler, ThreadLocalRandom::current, Clock.systemUTC(), MAX_TRACKED_REQUESTS);
    }

    /** {@code flaky} draws from {@code random}, which must be thread-safe if invocations run concurrently. */
    public BuiltinRuntime(ScheduledExecutorService scheduler, RandomGenerator random) {
        this(scheduler, fixed(random), Clock.systemUTC(), MAX_TRACKED_REQUESTS);
    }

    BuiltinRuntime(ScheduledExecutorService scheduler, Supplier<RandomGenerator> random, Clock clock,
                   int maxTrackedRequests) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.attempts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > maxTrackedRequests;
            }
        };
    }

    @Override
    public CompletionStage<InvocationResult> invoke(InvocationRequest request) {
        try {
            return run(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new InvocationResult.SystemError("builtin runtime failed: " + e));
        }
    }

    private CompletionStage<InvocationResult> run(InvocationRequest request) {
        String handler = request.handler() == null ? "" : request.handler();
        return switch (handler) {
            case "echo" -> done(echo(request));
            case "fail" -> done(fail(request));
            case "fail-then-succeed" -> done(failThenSucceed(request));
            case "flaky" -> done(flaky(request));
            case "sleep" -> sleep(request);
            default -> done(ErrorPayloads.functionError("Runtime.HandlerNotFound",
                    handler + " is not a builtin handler; use one of " + String.join(", ", HANDLERS)));
        };
    }

    private static InvocationResult echo(InvocationRequest request) {
        byte[] event = request.payload();
        return new InvocationResult.Success(event == null || event.length == 0 ? ErrorPayloads.NULL_JSON : event);
    }

    private static InvocationResult fail(InvocationRequest request) {
        Map<String, String> env = env(request);
        return ErrorPayloads.handlerError(orDefault(env.get("ERROR_TYPE"), "Error"),
                orDefault(env.get("ERROR_MESSAGE"), "Intentional failure"), request.requestId(), List.of());
    }

    private InvocationResult failThenSucceed(InvocationRequest request) {
        String raw = env(request).get("FAIL_TIMES");
        long failTimes;
        try {
            failTimes = parseLong(raw, 1);
        } catch (NumberFormatException e) {
            failTimes = -1;
        }
        if (failTimes < 0) return invalid("FAIL_TIMES", raw, "a whole number of at least 0");
        int attempt;
        synchronized (attempts) {
            attempt = attempts.merge(Objects.toString(request.requestId(), ""), 1,
                    (a, b) -> a == Integer.MAX_VALUE ? a : a + b);
        }
        return attempt <= failTimes ? fail(request) : echo(request);
    }

    private InvocationResult flaky(InvocationRequest request) {
        String raw = env(request).get("FAIL_RATE");
        double rate;
        try {
            rate = isBlank(raw) ? 0.5 : Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            rate = Double.NaN;
        }
        if (!(rate >= 0 && rate <= 1)) return invalid("FAIL_RATE", raw, "a number from 0 to 1");
        return random.get().nextDouble() < rate ? fail(request) : echo(request);
    }

    private CompletionStage<InvocationResult> sleep(InvocationRequest request) {
        String raw = env(request).get("SLEEP_MS");
        long sleepMs;
        try {
            sleepMs = parseLong(raw, 1000);
        } catch (NumberFormatException e) {
            sleepMs = -1;
        }
        if (sleepMs < 0) return done(invalid("SLEEP_MS", raw, "a whole number of milliseconds of at least 0"));
        long untilDeadline = Math.max(0, request.deadlineEpochMs() - clock.millis());
        InvocationResult outcome = sleepMs < untilDeadline
                ? echo(request)
                : ErrorPayloads.timedOut(request.requestId(), request.timeoutSeconds());
        CompletableFuture<InvocationResult> result = new CompletableFuture<>();
        try {
            Runnable wakeUp = () -> result.complete(outcome);
            scheduler.schedule(wakeUp, Math.min(sleepMs, untilDeadline), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.complete(new InvocationResult.SystemError("builtin runtime cannot schedule sleep: " + e));
        }
        return result;
    }

    private static InvocationResult invalid(String variable, String value, String expected) {
        return ErrorPayloads.functionError(INVALID,
                "Environment variable " + variable + " must be " + expected + ", got: " + value);
    }

    /** Blank means unset. Throws {@link NumberFormatException} for anything but a whole number. */
    private static long parseLong(String raw, long fallback) {
        return isBlank(raw) ? fallback : Long.parseLong(raw.trim());
    }

    private static String orDefault(String value, String fallback) {
        return isBlank(value) ? fallback : value;
    }

    private static Supplier<RandomGenerator> fixed(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return () -> random;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static Map<String, String> env(InvocationRequest request) {
        return request.environment() == null ? Map.of() : request.environment();
    }

    private static CompletionStage<InvocationResult> done(InvocationResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
