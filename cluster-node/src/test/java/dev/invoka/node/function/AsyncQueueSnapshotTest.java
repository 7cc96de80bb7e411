package dev.invoka.node.function;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.invoka.node.lifecycle.Condition;
import dev.invoka.protocol.CreateFunctionRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A queue survives its snapshot: packed, serialized as Pekko does, and restored into an empty queue. */
class AsyncQueueSnapshotTest {

    static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
            "pekko.actor.serialization-bindings { \"dev.invoka.node.CborSerializable\" = jackson-cbor }"));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:f";

    static FunctionEvent.EventAccepted accepted(String id, String qualifier, long at, String redriveOf) {
        return new FunctionEvent.EventAccepted(id, qualifier, qualifier.equals("$LATEST") ? ARN : ARN + ":" + qualifier,
                ("{\"n\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), at, 1, redriveOf);
    }

    /** A queue with what a snapshot must keep: several ARNs, ids that are not UUIDs, retries, redrives. */
    static AsyncQueue sample() {
        AsyncQueue queue = new AsyncQueue(1 << 20, 100);
        long seqNr = 10;
        long at = 1_700_000_000_000L;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = switch (i % 5) {
                case 0 -> "not-a-uuid-" + i;
                case 1 -> UUID.randomUUID().toString().toUpperCase();
                default -> UUID.randomUUID().toString();
            };
            ids.add(id);
            queue.apply(accepted(id, i % 3 == 0 ? "live" : "$LATEST", at + i * 7L - (i % 4 == 0 ? 50 : 0),
                    i % 11 == 0 ? "origin-" + i : null), seqNr);
            seqNr += 1 + i % 3;
        }
        for (int i = 0; i < 200; i += 9) {
            queue.apply(new FunctionEvent.RetryScheduled(ids.get(i), 2, i, at + 3_600_000L - i,
                    i % 2 == 0 ? "{\"errorMessage\":\"boom\"}".getBytes(StandardCharsets.UTF_8) : null), seqNr++);
        }
        return queue;
    }

    static String describe(AsyncQueue.Pending p) {
        return String.join("|", p.requestId(), p.qualifier(), p.invokedArn(), "" + p.acceptedAtMs(), "" + p.hops(),
                "" + p.attempts(), "" + p.throttles(), "" + p.dueAtMs(), "" + p.order(), "" + p.payloadSeqNr(),
                Arrays.toString(p.lastError()), "" + p.redriveOf());
    }

    static List<String> describe(Iterable<AsyncQueue.Pending> pending) {
        List<String> out = new ArrayList<>();
        pending.forEach(p -> out.add(describe(p)));
        return out;
    }

    @Test
    void aSnapshotRestoresEveryWaitingEventInAcceptanceAndDueOrder() {
        AsyncQueue queue = sample();
        FunctionState function = FunctionState.EMPTY.apply(new FunctionEvent.FunctionCreated(FunctionConfig.fromCreate(
                "f", new CreateFunctionRequest("f", "builtin", "role", "echo", null, null, 30, null, null, null, null,
                        null, null, null), 0)));
        EntitySnapshot snapshot = queue.snapshot(function, 999);
        assertNull(snapshot.pending(), "new snapshots hold the packed form only");
        assertEquals(2, snapshot.arns().size(), "two qualifiers, listed once each");

        Serialization serialization = SerializationExtension.get(testKit.system());
        byte[] bytes = serialization.serialize(snapshot).get();
        var serializer = serialization.findSerializerFor(snapshot);
        EntitySnapshot back = (EntitySnapshot) serialization.deserialize(bytes, serializer.identifier(),
                org.apache.pekko.serialization.Serializers.manifestFor(serializer, snapshot)).get();

        AsyncQueue restored = new AsyncQueue(1 << 20, 100);
        restored.restore(back);
        assertEquals(200, restored.depth());
        assertEquals(describe(queue.acceptanceOrder()), describe(restored.acceptanceOrder()));
        assertEquals(describe(queue.dueOrder()), describe(restored.dueOrder()));
        restored.acceptanceOrder().forEach(p -> assertNull(p.payload(), "payloads are read back from the journal"));
    }

    @Test
    void waitingEventsPackIntoAboutTwentySixBytesEach() {
        AsyncQueue queue = new AsyncQueue(0, 10);
        long at = 1_700_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            queue.apply(new FunctionEvent.EventAccepted(UUID.randomUUID().toString(), "$LATEST", ARN, new byte[0],
                    at + i / 3, 0, null), i + 2);
        }
        EntitySnapshot snapshot = queue.snapshot(FunctionState.EMPTY, 100_002);
        assertTrue(snapshot.packedPending().length < 2_800_000, "packed: " + snapshot.packedPending().length);
    }

    static List<String> sortedByDue(AsyncQueue queue) {
        List<AsyncQueue.Pending> all = new ArrayList<>(queue.acceptanceOrder());
        all.sort(java.util.Comparator.comparingLong(AsyncQueue.Pending::dueAtMs).thenComparingLong(AsyncQueue.Pending::order));
        return describe(all);
    }

    /**
     * The due order (arrivals in a queue, others in a tree, stale arrivals skipped) is the pending events sorted
     * by due time and arrival, after any mix of accepts (some with a clock gone back), retries, finishes and
     * restores from a snapshot.
     */
    @Test
    void theDueOrderIsThePendingEventsSortedByDueTimeWhateverHappened() {
        java.util.Random random = new java.util.Random(42);
        AsyncQueue queue = new AsyncQueue(1 << 20, 100);
        FunctionState function = FunctionState.EMPTY.apply(new FunctionEvent.FunctionCreated(FunctionConfig.fromCreate(
                "f", new CreateFunctionRequest("f", "builtin", "role", "echo", null, null, 30, null, null, null, null,
                        null, null, null), 0)));
        List<String> ids = new ArrayList<>();
        long now = 1_700_000_000_000L;
        long seqNr = 1;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(100);
            if (op < 55 || ids.isEmpty()) {
                String id = "e" + step;
                ids.add(id);
                now += random.nextInt(3) - (random.nextInt(50) == 0 ? 40 : 0);
                queue.apply(accepted(id, "$LATEST", now, null), seqNr++);
            } else if (op < 70) {
                String id = ids.get(random.nextInt(ids.size()));
                queue.apply(new FunctionEvent.RetryScheduled(id, 1, 0, now + random.nextInt(120_000), null), seqNr++);
            } else if (op < 98) {
                // finishes mostly come from the head (events start earliest due first), some from anywhere
                String id = random.nextBoolean() && queue.dueOrder().iterator().hasNext()
                        ? queue.dueOrder().iterator().next().requestId() : ids.get(random.nextInt(ids.size()));
                ids.remove(id);
                queue.apply(new FunctionEvent.InvocationFinished(id, Condition.Success, 1, null, now, null, null), seqNr++);
            } else {
                AsyncQueue restored = new AsyncQueue(1 << 20, 100);
                restored.restore(queue.snapshot(function, seqNr));
                assertEquals(describe(queue.dueOrder()), describe(restored.dueOrder()), "restored at step " + step);
                queue = restored;
            }
            if (step % 97 == 0 || step > 19_900) {
                assertEquals(sortedByDue(queue), describe(queue.dueOrder()), "at step " + step);
            }
        }
        assertEquals(sortedByDue(queue), describe(queue.dueOrder()));
        assertTrue(queue.depth() > 1000, "a backlog remains: " + queue.depth());
    }
}
