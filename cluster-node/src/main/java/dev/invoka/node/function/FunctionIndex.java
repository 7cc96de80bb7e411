package dev.invoka.node.function;

import dev.invoka.node.CborSerializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * This node's view of every function, for ListFunctions and the account totals: a fold of the events
 * tagged {@link FunctionEvent#INDEX_TAG} with the same {@link FunctionState#apply} the entities use, so no
 * listing wakes an entity.
 *
 * <p>Feeds: at start the whole tag is read ({@code currentEventsByTag}); queries wait (stashed) until then.
 * Afterwards this node's entities tell their changes directly ({@link Changed}) right after persisting, so
 * this node reads its own writes; the index passes each on to every node's index through the topic
 * {@code function-index} ({@link Gossiped}, milliseconds behind), and the live tag stream (about a second
 * behind) catches whatever a topic message missed, e.g. while a node was joining. All three carry the entity's
 * sequence number; an entry only moves forward, so the late arrival of an older state never undoes a newer one.
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

    private record Entry(FunctionState state, long sequenceNr) {}

    private final ActorContext<Command> ctx;
    private final ActorRef<Topic.Command<Gossiped>> topic;
    private final Map<String, Entry> entries = new HashMap<>();

    private FunctionIndex(ActorContext<Command> ctx) {
        this.ctx = ctx;
        this.topic = ctx.spawn(Topic.create(Gossiped.class, "function-index"), "topic");
        topic.tell(Topic.subscribe(ctx.getSelf().narrow()));
    }

    /** The index fed from the configured JDBC read journal. */
    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> {
            JdbcReadJournal journal = PersistenceQuery.get(ctx.getSystem())
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            return create(journal, journal);
        });
    }

    /** The index fed from any read journal that answers both tag queries (tests use an in-memory one). */
    public static Behavior<Command> create(CurrentEventsByTagQuery current, EventsByTagQuery live) {
        return Behaviors.withStash(100_000, stash -> Behaviors.setup(ctx -> {
            FunctionIndex index = new FunctionIndex(ctx);
            Source<EventEnvelope, NotUsed> initial = current.currentEventsByTag(FunctionEvent.INDEX_TAG, Offset.noOffset());
            CompletionStage<Done> loaded = initial.runWith(
                    Sink.foreach(env -> ctx.getSelf().tell(new StreamEvent(env))), ctx.getSystem());
            ctx.pipeToSelf(loaded, (done, failure) -> {
                if (failure != null) ctx.getLog().error("function index: reading the journal failed", failure);
                return Loaded.INSTANCE;
            });
            return index.loading(stash, live);
        }));
    }

    private Behavior<Command> loading(StashBuffer<Command> stash, EventsByTagQuery live) {
        return Behaviors.receive(Command.class)
                .onMessage(StreamEvent.class, this::onStreamEvent)
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Gossiped.class, this::onGossiped)
                .onMessageEquals(Loaded.INSTANCE, () -> {
                    followLive(live);
                    return stash.unstashAll(ready());
                })
                .onMessage(Query.class, query -> {
                    stash.stash(query);
                    return Behaviors.same();
                })
                .build();
    }

    private void followLive(EventsByTagQuery live) {
        // From the start again: entries only move forward, so re-seen events are no-ops.
        Source<EventEnvelope, NotUsed> stream = RestartSource.withBackoff(
                RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2),
                () -> live.eventsByTag(FunctionEvent.INDEX_TAG, Offset.noOffset()));
        stream.runWith(Sink.foreach(env -> ctx.getSelf().tell(new StreamEvent(env))), ctx.getSystem());
    }

    private Behavior<Command> ready() {
        return Behaviors.receive(Command.class)
                .onMessage(StreamEvent.class, this::onStreamEvent)
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Gossiped.class, this::onGossiped)
                .onMessage(Query.class, this::onQuery)
                .build();
    }

    private Behavior<Command> onStreamEvent(StreamEvent msg) {
        EventEnvelope env = msg.envelope();
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
