package dev.invoka.node.function;

import dev.invoka.node.CborSerializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * This node's view of every function, for ListFunctions and the account totals: a fold of the events
 * tagged {@link FunctionEvent#INDEX_TAG} with the same {@link FunctionState#apply} the entities use, so no
 * listing wakes an entity.
 *
 * <p>Feeds: at start the whole tag is read ({@code currentEventsByTag}); queries wait (stashed) until then.
 * Afterwards this node's entities tell their changes directly ({@link Changed}) right after persisting, so
 * this node reads its own writes; the index passes each on to every node's index through the topic
 * {@code function-index} ({@link Gossiped}, milliseconds behind), and a poll of the tag every
 * {@code poll-interval} catches whatever a topic message missed, e.g. while a node was joining. All three carry
 * the entity's sequence number; an entry only moves forward, so the late arrival of an older state never undoes
 * a newer one.
 *
 * <p>The poll is a {@code currentEventsByTag} from an offset, not the read journal's live {@code eventsByTag}:
 * the live query's sequence actor reads the ordering of <em>every</em> new event of the journal (accepts
 * included) to find gaps, a cost that grows with the accept rate on every node, for a tag that changes a few
 * times a day. The poll finds gaps its own way: an ordering is taken when a row is inserted and becomes visible
 * at its commit, so a tagged event may appear below one already seen. Each poll therefore starts from the
 * highest ordering the index had seen when a poll started at least {@code commit-lag} earlier: a transaction
 * that stays open longer than that (minus one interval) may be missed by the poll, and is still told by the
 * entity and the topic. Re-read events are no-ops.
 */
public final class FunctionIndex {

    public interface Command {}

    /** A function's state after the journal's event {@code sequenceNr}, told by an entity on this node. */
    public record Changed(String name, FunctionState state, long sequenceNr) implements Command {}

    /** The same, passed on to the index of every node of the cluster (this one included) through a topic. */
    public record Gossiped(String name, FunctionState state, long sequenceNr) implements Command, CborSerializable {}

    /** Every existing function, sorted by name. */
    public record Query(ActorRef<NavigableMap<String, FunctionState>> replyTo) implements Command {}

    private enum Loaded implements Command { INSTANCE }

    private record StreamEvent(EventEnvelope envelope) implements Command {}

    private enum Poll implements Command { INSTANCE }

    /** A poll ended; {@code failure} is null when it read the tag. */
    private record Polled(Throwable failure) implements Command {}

    /** A poll that started at {@code startedNanos}, when the index had read up to ordering {@code seen}. */
    private record PollStart(long startedNanos, long seen) {}

    private record Entry(FunctionState state, long sequenceNr) {}

    private final ActorContext<Command> ctx;
    private final ActorRef<Topic.Command<Gossiped>> topic;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Polls started, oldest first: when each started and the highest ordering seen at that moment. */
    private final ArrayDeque<PollStart> started = new ArrayDeque<>();
    /** The highest ordering of a tagged event received so far. */
    private long seen;
    /** Where the next poll starts: an ordering every event below which has been visible for commit-lag. */
    private long pollFrom;
    private boolean polling;
    /** The last poll failed: the next failures are not logged again until one succeeds. */
    private boolean pollFailing;

    private FunctionIndex(ActorContext<Command> ctx) {
        this.ctx = ctx;
        this.topic = ctx.spawn(Topic.create(Gossiped.class, "function-index"), "topic");
        topic.tell(Topic.subscribe(ctx.getSelf().narrow()));
    }

    /** The index fed from any read journal that answers the current tag query (tests use their own). */
    public static Behavior<Command> create(CurrentEventsByTagQuery journal, Duration pollInterval, Duration commitLag) {
        return Behaviors.withStash(100_000, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            FunctionIndex index = new FunctionIndex(ctx);
            ctx.pipeToSelf(index.read(journal, Offset.noOffset()), (done, failure) -> {
                if (failure != null) ctx.getLog().error("function index: reading the journal failed", failure);
                return Loaded.INSTANCE;
            });
            return index.loading(stash, () -> {
                timers.startTimerWithFixedDelay(Poll.INSTANCE, pollInterval);
                return index.ready(journal, commitLag.toNanos());
            });
        })));
    }

    private Behavior<Command> loading(StashBuffer<Command> stash, Supplier<Behavior<Command>> ready) {
        return Behaviors.receive(Command.class)
                .onMessage(StreamEvent.class, this::onStreamEvent)
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Gossiped.class, this::onGossiped)
                .onMessageEquals(Loaded.INSTANCE, () -> stash.unstashAll(ready.get()))
                .onMessage(Query.class, query -> {
                    stash.stash(query);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> ready(CurrentEventsByTagQuery journal, long commitLagNanos) {
        return Behaviors.receive(Command.class)
                .onMessage(StreamEvent.class, this::onStreamEvent)
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Gossiped.class, this::onGossiped)
                .onMessage(Query.class, this::onQuery)
                .onMessageEquals(Poll.INSTANCE, () -> poll(journal, commitLagNanos))
                .onMessage(Polled.class, this::onPolled)
                .build();
    }

    private Behavior<Command> poll(CurrentEventsByTagQuery journal, long commitLagNanos) {
        if (polling) return Behaviors.same();
        long now = System.nanoTime();
        while (!started.isEmpty() && now - started.peekFirst().startedNanos() >= commitLagNanos) {
            pollFrom = Math.max(pollFrom, started.pollFirst().seen());
        }
        started.addLast(new PollStart(now, seen));
        polling = true;
        ctx.pipeToSelf(read(journal, Offset.sequence(pollFrom)), (ok, failure) -> new Polled(failure));
        return Behaviors.same();
    }

    /** Reads the tag's events after {@code from}, each told to this index as a {@link StreamEvent}. */
    private CompletionStage<Done> read(CurrentEventsByTagQuery journal, Offset from) {
        return journal.currentEventsByTag(FunctionEvent.INDEX_TAG, from)
                .runWith(Sink.foreach(env -> ctx.getSelf().tell(new StreamEvent(env))), ctx.getSystem());
    }

    private Behavior<Command> onPolled(Polled polled) {
        polling = false;
        if (polled.failure() != null && !pollFailing) {
            ctx.getLog().warn("function index: polling the journal failed; polling on (logged once until it works)",
                    polled.failure());
        }
        pollFailing = polled.failure() != null;
        return Behaviors.same();
    }

    private Behavior<Command> onStreamEvent(StreamEvent msg) {
        EventEnvelope env = msg.envelope();
        if (env.offset() instanceof Sequence sequence) seen = Math.max(seen, sequence.value());
        if (!(env.event() instanceof FunctionEvent.Management event)) return Behaviors.same();
        String name = nameOf(env.persistenceId());
        Entry entry = entries.get(name);
        if (entry != null && entry.sequenceNr() >= env.sequenceNr()) return Behaviors.same();
        FunctionState before = entry == null ? FunctionState.EMPTY : entry.state();
        entries.put(name, new Entry(before.apply(event), env.sequenceNr()));
        return Behaviors.same();
    }

    private Behavior<Command> onChanged(Changed msg) {
        if (advance(msg.name(), msg.state(), msg.sequenceNr())) {
            topic.tell(Topic.publish(new Gossiped(msg.name(), msg.state(), msg.sequenceNr())));
        }
        return Behaviors.same();
    }

    private Behavior<Command> onGossiped(Gossiped msg) {
        advance(msg.name(), msg.state(), msg.sequenceNr());
        return Behaviors.same();
    }

    private boolean advance(String name, FunctionState state, long sequenceNr) {
        Entry entry = entries.get(name);
        if (entry != null && entry.sequenceNr() >= sequenceNr) return false;
        entries.put(name, new Entry(state, sequenceNr));
        return true;
    }

    private Behavior<Command> onQuery(Query query) {
        TreeMap<String, FunctionState> existing = new TreeMap<>();
        entries.forEach((name, entry) -> {
            if (entry.state().exists()) existing.put(name, entry.state());
        });
        query.replyTo().tell(Collections.unmodifiableNavigableMap(existing));
        return Behaviors.same();
    }

    private static String nameOf(String persistenceId) {
        int separator = persistenceId.indexOf('|');
        return separator < 0 ? persistenceId : persistenceId.substring(separator + 1);
    }
}
