package dev.invoka.node.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.Option;
import slick.jdbc.H2Profile;
import slick.jdbc.JdbcBackend;
import slick.jdbc.hikaricp.HikariCPJdbcDataSource;

/**
 * The node's journal plugin on PostgreSQL: it answers an entity's writes itself, through the
 * {@link GroupedJournalWriter}, and hands everything else to pekko-persistence-jdbc's journal
 * ({@code delegate}, the same table): recoveries, deletes, and the writes it does not group (tagged events,
 * which also go to the tag table, and events with metadata).
 *
 * <p>Why not an {@code AsyncWriteJournal}: that base class answers each write through a chain of hand-offs,
 * each to another thread (the future's callbacks on the journal's dispatcher, a resequencer actor, a
 * message to itself when the write is done), and on this machine waking those threads cost the node more
 * per accept than writing the event (docs/benchmarks.md, "a journal plugin of the node's own"). The writer's completion
 * task answers every write of one statement directly: the entity gets the replies in the order the
 * protocol has them ({@code WriteMessagesSuccessful}, then each event's {@code WriteMessageSuccess}), since
 * one thread sends them. Events are serialized, stamped and stored as the jdbc journal stores them, so its
 * reads, the read journal and the schema need nothing else.
 *
 * <p>What the base class did that still holds: a write is answered only once committed; an event that cannot
 * be serialized is rejected, the rest of the batch written; a recovery of an entity whose write is still in
 * flight waits for it, or it could read a highest sequence number that is about to change. Not carried over:
 * the circuit breaker (the writer fails a group at once when the database does) and event adapters (the
 * node configures none).
 */
public final class GroupedWriteJournal extends AbstractActor {

    private final ActorRef delegate;
    private final SlickDatabase db;
    private final Serialization serialization;
    private final GroupedJournalWriter writer;
    /** The write in flight per entity, until its answers are sent; a recovery of that entity waits for it. */
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public GroupedWriteJournal(Config config) {
        var system = getContext().getSystem();
        String delegatePath = config.getString("delegate");
        Config delegateConfig = system.settings().config().getConfig(delegatePath);
        JournalConfig journal = new JournalConfig(delegateConfig);
        this.db = ((SlickExtensionImpl) SlickExtension.get(system)).database(delegateConfig);
        if (db.profile() instanceof H2Profile) {
            throw new IllegalStateException("the grouped write journal is for PostgreSQL; embedded H2 uses " + delegatePath);
        }
        this.serialization = SerializationExtension.get(system);
        int insertRows = system.settings().config().getInt("invoka.db.insert-rows");
        this.writer = new GroupedJournalWriter(connections(db.database()), journal.eventJournalTableConfiguration(),
                system.dispatcher(), insertRows, "invoka-journal-writer-" + system.name());
        this.delegate = Persistence.get(system).journalFor(delegatePath, ConfigFactory.empty());
    }

    /**
     * The journal plugin for a node's configuration: this one on PostgreSQL ({@code invoka.db.grouped-writer},
     * on by default), else pekko-persistence-jdbc's as configured.
     */
    public static Config pluginFor(Config config) {
        String profile = config.getString("pekko-persistence-jdbc.shared-databases.default.profile");
        if (!profile.startsWith("slick.jdbc.PostgresProfile") || !config.getBoolean("invoka.db.grouped-writer")) {
            return ConfigFactory.empty();
        }
        return ConfigFactory.parseMap(Map.of("pekko.persistence.journal.plugin", "invoka-grouped-journal"));
    }

    /** The journal pool's connections; a dead one is evicted, or HikariCP may lend it to the writer again. */
    private static GroupedJournalWriter.Connections connections(JdbcBackend.JdbcDatabaseDef db) {
        if (db.source() instanceof HikariCPJdbcDataSource hikari) {
            return new GroupedJournalWriter.Connections() {
                @Override
                public java.sql.Connection get() throws java.sql.SQLException {
                    return hikari.ds().getConnection();
                }

                @Override
                public void evict(java.sql.Connection connection) {
                    hikari.ds().evictConnection(connection);
                }
            };
        }
        return () -> db.source().createConnection();
    }

    @Override
    public void postStop() {
        // A database of the journal's own, not the shared one the node configures, is closed with it (as
        // the jdbc journal closes its own), once the writes already queued are written.
        writer.close(db.allowShutdown() ? () -> db.database().close() : () -> {});
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.WriteMessages.class, this::write)
                .match(JournalProtocol.ReplayMessages.class, this::replay)
                .matchAny(message -> delegate.forward(message, getContext()))
                .build();
    }

    private void replay(JournalProtocol.ReplayMessages replay) {
        ActorRef sender = getSender();
        CompletableFuture<Void> write = inFlight.get(replay.persistenceId());
        if (write == null) delegate.tell(replay, sender);
        else write.whenComplete((ok, failed) -> delegate.tell(replay, sender));
    }

    private void write(JournalProtocol.WriteMessages message) {
        List<JournalPekkoSerializationRow> rows = new ArrayList<>();
        List<Throwable> rejections = new ArrayList<>();
        long now = System.currentTimeMillis();
        String persistenceId = null;
        var envelopes = message.messages().iterator();
        while (envelopes.hasNext()) {
            if (!(envelopes.next() instanceof AtomicWrite write)) {
                rejections.add(null);
                continue;
            }
            if (persistenceId == null) persistenceId = write.persistenceId();
            List<JournalPekkoSerializationRow> own = new ArrayList<>(write.size());
            Throwable rejected = null;
            var events = write.payload().iterator();
            while (events.hasNext()) {
                PersistentRepr event = events.next();
                if (event.payload() instanceof Tagged || event.metadata().isDefined()) {
                    delegate.forward(message, getContext());
                    return;
                }
                try {
                    var serialized = PekkoSerialization.serialize(serialization, event.payload()).get();
                    own.add(new JournalPekkoSerializationRow(Long.MIN_VALUE, event.deleted(), event.persistenceId(),
                            event.sequenceNr(), event.writerUuid(), now, event.manifest(), serialized.payload(),
                            serialized.serId(), serialized.serManifest(), Option.empty(), Option.empty(), Option.empty()));
                } catch (Exception e) {
                    rejected = e;
                    break;
                }
            }
            rejections.add(rejected);
            if (rejected == null) rows.addAll(own);
        }
        ActorRef self = getSelf();
        if (rows.isEmpty()) {
            answer(message, rejections, null, self);
            return;
        }
        String id = persistenceId;
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight.put(id, done);
        writer.write(rows, failure -> {
            inFlight.remove(id, done);
            answer(message, rejections, failure, self);
            done.complete(null);
        });
    }

    /**
     * The protocol's answers to one {@code WriteMessages}, as pekko-persistence sends them: the batch's
     * outcome, then one per event (written, rejected, or failed with the batch) and per looped message.
     *
     * @param rejections per envelope, in order: why an atomic write was rejected, or null
     */
    private static void answer(JournalProtocol.WriteMessages message, List<Throwable> rejections, Throwable failure,
                               ActorRef self) {
        ActorRef target = message.persistentActor();
        int instance = message.actorInstanceId();
        int atomicWrites = 0;
        var envelopes = message.messages().iterator();
        while (envelopes.hasNext()) if (envelopes.next() instanceof AtomicWrite) atomicWrites++;
        target.tell(failure == null ? JournalProtocol.WriteMessagesSuccessful$.MODULE$
                : new JournalProtocol.WriteMessagesFailed(failure, atomicWrites), self);
        int i = 0;
        envelopes = message.messages().iterator();
        while (envelopes.hasNext()) {
            PersistentEnvelope envelope = envelopes.next();
            Throwable rejected = rejections.get(i++);
            if (envelope instanceof AtomicWrite write) {
                var events = write.payload().iterator();
                while (events.hasNext()) {
                    PersistentRepr event = events.next();
                    Object reply = failure != null ? new JournalProtocol.WriteMessageFailure(event, failure, instance)
                            : rejected != null ? new JournalProtocol.WriteMessageRejected(event, rejected, instance)
                            : new JournalProtocol.WriteMessageSuccess(event, instance);
                    target.tell(reply, event.sender());
                }
            } else if (envelope instanceof NonPersistentRepr loop) {
                target.tell(new JournalProtocol.LoopMessageSuccess(loop.payload(), instance), loop.sender());
            }
        }
    }
}
