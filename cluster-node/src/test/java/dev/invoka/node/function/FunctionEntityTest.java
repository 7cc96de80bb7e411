package dev.invoka.node.function;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.invoka.node.Settings;
import dev.invoka.node.lifecycle.Condition;
import dev.invoka.node.metrics.LambdaMetrics;
import dev.invoka.node.runtime.FunctionRuntime;
import dev.invoka.node.runtime.FunctionRuntimes;
import dev.invoka.node.runtime.InvocationRequest;
import dev.invoka.node.runtime.InvocationResult;
import dev.invoka.protocol.CreateFunctionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The entity's rules with time under the test's control (ManualTime for Pekko's timers, a settable clock
 * for "now"), a scripted runtime and a recording destination router; real AWS delays (time scale 1).
 */
class FunctionEntityTest {

    static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
                    "pekko.actor.serialization-bindings { \"dev.invoka.node.CborSerializable\" = jackson-cbor }")
            .withFallback(ManualTime.config())
            .withFallback(EventSourcedBehaviorTestKit.config()));
    static final ManualTime manualTime = ManualTime.get(testKit.system());

    /** A clock the test moves together with ManualTime. */
    static final class TestClock extends Clock {
        volatile long now = System.currentTimeMillis();

        void advance(Duration d) {
            now += d.toMillis();
        }

        @Override public long millis() { return now; }
        @Override public Instant instant() { return Instant.ofEpochMilli(now); }
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }

    /**
     * Answers attempts from a script (then echoes), and records them; {@link #HANG} never answers, {@link #HOLD}
     * answers when the test completes {@link #held}.
     */
    static final class ScriptedRuntime implements FunctionRuntime {
        static final InvocationResult HANG = new InvocationResult.SystemError("hang");
        static final InvocationResult HOLD = new InvocationResult.SystemError("hold");
        final CompletableFuture<InvocationResult> held = new CompletableFuture<>();
        final ConcurrentLinkedQueue<InvocationResult> script = new ConcurrentLinkedQueue<>();
        final List<InvocationRequest> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<InvocationResult> invoke(InvocationRequest request) {
            attempts.add(request);
            InvocationResult next = script.poll();
            if (next == HANG) return new CompletableFuture<>();
            if (next == HOLD) return held;
            return CompletableFuture.completedFuture(next != null ? next : new InvocationResult.Success(request.payload()));
        }
    }

    record Delivery(String destination, String record, int hops) {}

    TestClock clock;
    String name;
    ScriptedRuntime runtime;
    FunctionDeps deps;
    List<Delivery> deliveries;
    EventSourcedBehaviorTestKit<FunctionEntity.Command, FunctionEvent, EntityState> entity;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        runtime = new ScriptedRuntime();
        deliveries = new CopyOnWriteArrayList<>();
        Settings settings = Settings.fromConfig(ConfigFactory.load());
        TestProbe<FunctionIndex.Command> index = testKit.createTestProbe();
        deps = new FunctionDeps(settings, new FunctionRuntimes(Map.of("scripted", runtime)), index.ref(),
                clock, d -> {
                    deliveries.add(new Delivery(d.target(), new String(d.body(), StandardCharsets.UTF_8), d.hops()));
                    return CompletableFuture.completedFuture(null);
                }, (pid, seqNr) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
                new LambdaMetrics());
        name = "f-" + UUID.randomUUID();
        entity = EventSourcedBehaviorTestKit.create(testKit.system(),
                FunctionEntity.create(name, deps, null),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        var created = entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.Create(FunctionConfig.fromCreate(
                "f", new CreateFunctionRequest("f", "scripted", "role", "h", null, null, 30, null, null, null, null, null,
                        null, null), clock.millis()), replyTo));
        assertInstanceOf(FunctionEntity.Found.class, created.reply());
    }

    String persistenceId() {
        return "Function|" + name;
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    void destinations(Integer retries, Integer maxAge) {
        var reply = entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.PutInvokeConfig(
                new EventInvokeConfig("$LATEST", retries, maxAge, "arn:aws:lambda:us-east-1:000000000000:function:ok",
                        "arn:aws:lambda:us-east-1:000000000000:function:ko", clock.millis()), false, true, true, replyTo));
        assertInstanceOf(FunctionEntity.Found.class, reply.reply());
    }

    String enqueue() {
        String id = UUID.randomUUID().toString();
        var result = entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.Enqueue(id, "$LATEST",
                "arn:aws:lambda:us-east-1:000000000000:function:f", "{\"k\":1}".getBytes(), 0, replyTo));
        assertEquals(new FunctionEntity.Accepted(id), result.reply());
        assertTrue(entity.persistenceTestKit().persistedInStorage(persistenceId())
                .stream().anyMatch(e -> e instanceof FunctionEvent.EventAccepted a && a.requestId().equals(id)),
                "the reply comes after the journal write");
        return id;
    }

    void passes(Duration d) {
        clock.advance(d);
        manualTime.timePasses(d);
    }

    void awaitAttempts(int n) {
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
            assertEquals(n, runtime.attempts.size());
            return null;
        });
    }

    static InvocationResult error() {
        return new InvocationResult.FunctionError("Error", "no", "{\"errorMessage\":\"no\",\"errorType\":\"Error\"}".getBytes());
    }

    @Test
    void retriesComeAfterOneAndTwoMinutesThenSuccessIsDelivered() {
        destinations(null, null);
        runtime.script.add(error());
        runtime.script.add(error());
        String id = enqueue();
        awaitAttempts(1);
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, entity.getState().async().pending(id).attempts());
            return null;
        });
        passes(Duration.ofSeconds(59));
        manualTime.expectNoMessageFor(Duration.ofMillis(10));
        assertEquals(1, runtime.attempts.size(), "no retry before 60 s");
        passes(Duration.ofSeconds(1));
        awaitAttempts(2);
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(2, entity.getState().async().pending(id).attempts());
            return null;
        });
        passes(Duration.ofSeconds(119));
        assertEquals(2, runtime.attempts.size(), "no retry before 120 s");
        passes(Duration.ofSeconds(1));
        awaitAttempts(3);
        runtime.attempts.forEach(a -> assertEquals(id, a.requestId(), "every attempt has the invoke's request id"));
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, deliveries.size());
            assertNull(entity.getState().async().undelivered(id), "delivered records are journaled as such");
            return null;
        });
        assertTrue(deliveries.get(0).record().contains("\"condition\":\"Success\",\"approximateInvokeCount\":3"));
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:ok", deliveries.get(0).destination());
        assertEquals(Condition.Success, entity.getState().async().recent(id).condition());
    }

    @Test
    void throttlesBackOffExponentially() {
        destinations(0, null);
        runtime.script.add(new InvocationResult.Throttled("HTTP 429", null));
        runtime.script.add(new InvocationResult.Throttled("HTTP 429", null));
        runtime.script.add(new InvocationResult.SystemError("down"));
        enqueue();
        awaitAttempts(1);
        long[] backoffs = {1, 2, 4};
        for (int i = 0; i < backoffs.length; i++) {
            testKit.createTestProbe().awaitAssert(() -> {
                assertEquals(0, entity.getState().async().acceptanceOrder().iterator().next().attempts());
                return null;
            });
            awaitThrottles(i + 1);
            passes(Duration.ofMillis(backoffs[i] * 1000 - 1));
            assertEquals(i + 1, runtime.attempts.size(), "no attempt before the backoff passed");
            passes(Duration.ofMillis(1));
            awaitAttempts(i + 2);
        }
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, deliveries.size());
            return null;
        });
        assertTrue(deliveries.get(0).record().contains("\"approximateInvokeCount\":1"), deliveries.get(0).record());
    }

    void awaitThrottles(int n) {
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(n, entity.getState().async().acceptanceOrder().iterator().next().throttles());
            return null;
        });
    }

    @Test
    void eventsExpireWhileWaitingForASlot() {
        destinations(0, 60);
        entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.PutConcurrency(1, replyTo));
        // a long timeout, so the attempt holding the only slot outlives the waiting event's maximum age
        entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.Update(
                new dev.invoka.protocol.UpdateFunctionConfigurationRequest(null, null, null, null, 900, null, null,
                        null, null), replyTo));
        runtime.script.add(ScriptedRuntime.HANG);
        String holder = enqueue();
        awaitAttempts(1);
        String waiting = enqueue();
        passes(Duration.ofSeconds(59));
        assertEquals(1, runtime.attempts.size(), "the second event waits for the slot");
        assertNotNull(entity.getState().async().pending(waiting), "and has not expired yet");
        passes(Duration.ofSeconds(1).plusMillis(2));
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, deliveries.size());
            return null;
        });
        String record = deliveries.get(0).record();
        assertTrue(record.contains("\"requestId\":\"" + waiting + "\""), record);
        assertTrue(record.contains("\"condition\":\"EventAgeExceeded\",\"approximateInvokeCount\":0"), record);
        assertFalse(record.contains("responseContext"), "it never ran: " + record);
        assertEquals(1, runtime.attempts.size(), "and never ran");
        assertNotNull(entity.getState().async().pending(holder), "the running event is not expired by the sweep");
    }

    @Test
    void zeroReservedConcurrencyDiscardsAtOnceWithoutAttempt() {
        destinations(null, null);
        entity.<FunctionEntity.Reply>runCommand(replyTo -> new FunctionEntity.PutConcurrency(0, replyTo));
        String id = enqueue();
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, deliveries.size());
            return null;
        });
        assertEquals(0, runtime.attempts.size());
        String record = deliveries.get(0).record();
        assertTrue(record.contains("\"condition\":\"ZeroReservedConcurrency\",\"approximateInvokeCount\":0"), record);
        assertFalse(record.contains("responseContext"), record);
        assertEquals(Condition.ZeroReservedConcurrency, entity.getState().async().recent(id).condition());
    }

    @Test
    void recoveryKeepsTheQueueAndItsDueTimes() {
        destinations(null, null);
        runtime.script.add(error());
        String id = enqueue();
        awaitAttempts(1);
        testKit.createTestProbe().awaitAssert(() -> {
            assertEquals(1, entity.getState().async().pending(id).attempts());
            return null;
        });
        long due = entity.getState().async().pending(id).dueAtMs();
        var restarted = entity.restart();
        AsyncQueue.Pending recovered = restarted.state().async().pending(id);
        assertEquals(1, recovered.attempts());
        assertEquals(due, recovered.dueAtMs(), "the retry keeps its persisted due time");
        assertArrayEquals("{\"k\":1}".getBytes(), recovered.payload());
        passes(Duration.ofSeconds(60));
        awaitAttempts(2);
    }

    /** A function entity spawned as an actor (so a test can watch it stop), created with reserved concurrency 1. */
    ActorRef<FunctionEntity.Command> spawnWithOneSlot(TestProbe<FunctionEntity.Reply> replies) {
        ActorRef<FunctionEntity.Command> ref = testKit.spawn(FunctionEntity.create("h-" + UUID.randomUUID(), deps, null));
        ref.tell(new FunctionEntity.Create(FunctionConfig.fromCreate("h", new CreateFunctionRequest("h", "scripted", "role",
                "h", null, null, 30, null, null, null, null, null, null, null), clock.millis()), replies.ref()));
        replies.expectMessageClass(FunctionEntity.Found.class);
        ref.tell(new FunctionEntity.PutConcurrency(1, replies.ref()));
        replies.expectMessageClass(FunctionEntity.Found.class);
        return ref;
    }

    String enqueueTo(ActorRef<FunctionEntity.Command> ref, TestProbe<FunctionEntity.Reply> replies) {
        String id = UUID.randomUUID().toString();
        ref.tell(new FunctionEntity.Enqueue(id, "$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:h",
                "{}".getBytes(), 0, replies.ref()));
        replies.expectMessage(new FunctionEntity.Accepted(id));
        return id;
    }

    @Test
    void aHandOffLetsTheRunningAttemptReportThenStopsWithoutStartingAnother() {
        TestProbe<FunctionEntity.Reply> replies = testKit.createTestProbe();
        ActorRef<FunctionEntity.Command> ref = spawnWithOneSlot(replies);
        runtime.script.add(ScriptedRuntime.HOLD);
        String running = enqueueTo(ref, replies);
        awaitAttempts(1);
        String waiting = enqueueTo(ref, replies);

        ref.tell(FunctionEntity.HandOff.INSTANCE);
        ref.tell(new FunctionEntity.GetStatus(running, replies.ref()));
        assertEquals("running", replies.expectMessageClass(FunctionEntity.StatusView.class).status(),
                "the entity waits for its running attempt");
        runtime.held.complete(new InvocationResult.Success("{}".getBytes()));

        testKit.createTestProbe().expectTerminated(ref, Duration.ofSeconds(3));
        assertEquals(1, runtime.attempts.size(), "the waiting event did not start during the hand-off");
        assertEquals(running, runtime.attempts.get(0).requestId());
        assertNotEquals(running, waiting);
    }

    @Test
    void aHandOffStopsAnAttemptThatDoesNotReportWithinTheWait() {
        TestProbe<FunctionEntity.Reply> replies = testKit.createTestProbe();
        ActorRef<FunctionEntity.Command> ref = spawnWithOneSlot(replies);
        runtime.script.add(ScriptedRuntime.HANG);
        enqueueTo(ref, replies);
        awaitAttempts(1);
        ref.tell(FunctionEntity.HandOff.INSTANCE);
        TestProbe<Object> watcher = testKit.createTestProbe();
        Duration wait = Settings.fromConfig(ConfigFactory.load()).async().handoffWait();
        passes(wait.minusMillis(100));
        watcher.expectNoMessage(Duration.ofMillis(100));
        ref.tell(new FunctionEntity.GetQueue(replies.ref()));
        assertEquals(1, replies.expectMessageClass(FunctionEntity.QueueView.class).inFlight(), "still waiting");
        passes(Duration.ofMillis(200));
        watcher.expectTerminated(ref, Duration.ofSeconds(3));
    }

    @Test
    void anIdleEntityStopsAtOnceOnHandOff() {
        TestProbe<FunctionEntity.Reply> replies = testKit.createTestProbe();
        ActorRef<FunctionEntity.Command> ref = spawnWithOneSlot(replies);
        ref.tell(FunctionEntity.HandOff.INSTANCE);
        testKit.createTestProbe().expectTerminated(ref, Duration.ofSeconds(3));
    }
}
