package dev.invoka.node.function;

import static org.junit.jupiter.api.Assertions.*;

import dev.invoka.protocol.CreateFunctionRequest;
import java.time.Duration;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The function index's poll of the journal: a function event is found even when it becomes visible below an
 * ordering already read (a transaction that committed late), and polls stop re-reading old events once they
 * are older than the commit lag.
 */
class FunctionIndexTest {

    static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A tag's events by ordering, each visible (committed) or not yet; records the offsets it was asked from. */
    static final class Journal implements CurrentEventsByTagQuery {
        final ConcurrentSkipListMap<Long, EventEnvelope> committed = new ConcurrentSkipListMap<>();
        final List<Long> askedFrom = new CopyOnWriteArrayList<>();

        void commit(long ordering, String function) {
            FunctionConfig config = FunctionConfig.fromCreate(function, new CreateFunctionRequest(function, "builtin",
                    "role", "echo", null, null, 30, null, null, null, null, null, null, null), 0);
            committed.put(ordering, new EventEnvelope(Offset.sequence(ordering), "FunctionEntity|" + function, 1,
                    new FunctionEvent.FunctionCreated(config), 0L));
        }

        @Override
        public Source<EventEnvelope, NotUsed> currentEventsByTag(String tag, Offset offset) {
            assertEquals(FunctionEvent.INDEX_TAG, tag);
            long from = offset instanceof Sequence sequence ? sequence.value() : 0;
            askedFrom.add(from);
            return Source.from(List.copyOf(committed.tailMap(from, false).values()));
        }
    }

    static NavigableMap<String, FunctionState> list(ActorRef<FunctionIndex.Command> index) {
        TestProbe<NavigableMap<String, FunctionState>> probe = testKit.createTestProbe();
        index.tell(new FunctionIndex.Query(probe.ref()));
        return probe.receiveMessage();
    }

    static void awaitListed(ActorRef<FunctionIndex.Command> index, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!list(index).keySet().equals(Set.of(names))) {
            assertTrue(System.nanoTime() < deadline, "listed " + list(index).keySet());
            Thread.sleep(20);
        }
    }

    /** An index over the journal, polling every 50 ms. */
    static ActorRef<FunctionIndex.Command> indexOf(Journal journal, Duration commitLag) {
        return testKit.spawn(FunctionIndex.create(journal, Duration.ofMillis(50), commitLag));
    }

    @Test
    void anEventCommittedBelowOneAlreadyReadIsStillFound() throws Exception {
        Journal journal = new Journal();
        journal.commit(2, "b");
        ActorRef<FunctionIndex.Command> index = indexOf(journal, Duration.ofSeconds(2));
        assertEquals(List.of("b"), List.copyOf(list(index).keySet()));
        Thread.sleep(300); // several polls have read ordering 2 already
        journal.commit(1, "a"); // took its ordering before 2, committed after it was read
        awaitListed(index, "a", "b");
    }

    @Test
    void pollsStartFromWhatWasReadACommitLagAgo() throws Exception {
        Journal journal = new Journal();
        journal.commit(5, "e");
        ActorRef<FunctionIndex.Command> index = indexOf(journal, Duration.ofSeconds(1));
        list(index);
        Thread.sleep(300);
        assertTrue(journal.askedFrom.stream().allMatch(from -> from == 0),
                "within the lag every poll re-reads from the start: " + journal.askedFrom);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (journal.askedFrom.get(journal.askedFrom.size() - 1) != 5) {
            assertTrue(System.nanoTime() < deadline, "polls never moved past ordering 5: " + journal.askedFrom);
            Thread.sleep(20);
        }
        journal.commit(9, "i");
        awaitListed(index, "e", "i");
    }
}
