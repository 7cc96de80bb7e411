package dev.invoka.node.journal;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.invoka.node.cluster.Postgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.PersistentRepr$;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.concurrent.ExecutionContext;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The PostgreSQL journal, on a real PostgreSQL. The plugin ({@link GroupedWriteJournal}): entities writing at
 * once through the node's journal configuration recover every event in order; each write is answered as
 * pekko-persistence's protocol has it, an event that cannot be serialized rejected, a write the database
 * refuses failed; tagged events reach the tag table through pekko-persistence-jdbc's journal. The writer
 * ({@link GroupedJournalWriter}): the writes queued during an insert go into the next one as a single
 * statement, or over the row limit as several of about the same size; a duplicate key fails only the write
 * that has it; a connection the database dropped while the writer was idle does not fail the next write.
 */
class GroupedWriteJournalTest {

    static final Map<String, String> db = database();
    static final Config config = withPlugin(ConfigFactory.parseMap(Map.of(
                    "pekko-persistence-jdbc.shared-databases.default.profile", "slick.jdbc.PostgresProfile$",
                    "pekko-persistence-jdbc.shared-databases.default.db.driver", "org.postgresql.Driver",
                    "pekko-persistence-jdbc.shared-databases.default.db.url", db.get("INVOKA_DB_URL"),
                    "pekko-persistence-jdbc.shared-databases.default.db.user", db.get("INVOKA_DB_USER"),
                    "pekko-persistence-jdbc.shared-databases.default.db.password", db.get("INVOKA_DB_PASSWORD")))
            .withFallback(ConfigFactory.parseString(
                    "pekko.actor.serialization-bindings { \"dev.invoka.node.CborSerializable\" = jackson-cbor }"))
            .withFallback(ConfigFactory.parseResources("node-persistence.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
    static final ActorTestKit testKit = ActorTestKit.create("grouped-writer", config);
    static final EventJournalTableConfiguration table =
            new JournalConfig(config.getConfig("jdbc-journal")).eventJournalTableConfiguration();

    static {
        try {
            JournalSchema.createIfMissing(testKit.system());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As a node chooses its journal plugin: on PostgreSQL, the grouped write journal. */
    static Config withPlugin(Config config) {
        return GroupedWriteJournal.pluginFor(config).withFallback(config);
    }

    static Map<String, String> database() {
        try {
            return Postgres.newDatabase();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.get("INVOKA_DB_URL"), db.get("INVOKA_DB_USER"), db.get("INVOKA_DB_PASSWORD"));
    }

    @Test
    void entitiesWritingAtOnceRecoverEveryEventInOrder() {
        int entities = 20, events = 30;
        List<org.apache.pekko.actor.typed.ActorRef<AppendingEntity.Command>> refs = new ArrayList<>();
        for (int e = 0; e < entities; e++) refs.add(testKit.spawn(AppendingEntity.behavior("grouped-" + e, 1_000, "jdbc-snapshot-store")));
        TestProbe<Long> acks = testKit.createTestProbe();
        // Every entity has one write in flight at a time; all of them together keep the writer's queue full.
        for (int i = 1; i <= events; i++) {
            for (org.apache.pekko.actor.typed.ActorRef<AppendingEntity.Command> ref : refs) ref.tell(new AppendingEntity.Add("e" + i, acks.ref()));
        }
        List<Long> sequenceNumbers = acks.receiveSeveralMessages(entities * events, Duration.ofSeconds(30));
        assertEquals(events, sequenceNumbers.stream().mapToLong(Long::longValue).max().orElse(0));
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("invoka-journal-writer-grouped-writer")),
                "this actor system's journal writes through a grouped writer (other tests' nodes may have theirs)");
        for (org.apache.pekko.actor.typed.ActorRef<AppendingEntity.Command> ref : refs) testKit.stop(ref, Duration.ofSeconds(10));

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= events; i++) expected.add("e" + i);
        for (int e = 0; e < entities; e++) {
            org.apache.pekko.actor.typed.ActorRef<AppendingEntity.Command> again = testKit.spawn(AppendingEntity.behavior("grouped-" + e, 1_000, "jdbc-snapshot-store"));
            TestProbe<AppendingEntity.Log> log = testKit.createTestProbe();
            again.tell(new AppendingEntity.Get(log.ref()));
            assertEquals(expected, log.receiveMessage(Duration.ofSeconds(10)).events(), "grouped-" + e);
            testKit.stop(again, Duration.ofSeconds(10));
        }
    }

    @Test
    void eachWriteIsAnsweredInTheProtocolsOrderAndAnEventThatCannotBeSerializedIsRejected() throws Exception {
        ActorRef journal = journal();
        TestProbe<Object> entity = testKit.createTestProbe();
        PersistentRepr first = event("p-order", 1, "event 1");
        PersistentRepr unserializable = event("p-order", 2, new Object());
        PersistentRepr third = event("p-order", 3, "event 3");
        journal.tell(new JournalProtocol.WriteMessages(seq(new AtomicWrite(seq(first)), new AtomicWrite(seq(unserializable)),
                new NonPersistentRepr("looped", ActorRef.noSender()), new AtomicWrite(seq(third))), toClassic(entity), 7),
                ActorRef.noSender());

        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, entity.receiveMessage(Duration.ofSeconds(10)));
        assertEquals(new JournalProtocol.WriteMessageSuccess(first, 7), entity.receiveMessage());
        var rejected = assertInstanceOf(JournalProtocol.WriteMessageRejected.class, entity.receiveMessage());
        assertSame(unserializable, rejected.message());
        assertEquals(new JournalProtocol.LoopMessageSuccess("looped", 7), entity.receiveMessage());
        assertEquals(new JournalProtocol.WriteMessageSuccess(third, 7), entity.receiveMessage());
        entity.expectNoMessage(Duration.ofMillis(200));
        assertEquals(List.of("p-order:1", "p-order:3"), stored("p-order"));
    }

    @Test
    void aWriteTheDatabaseRefusesIsFailedWithItsCause() throws Exception {
        ActorRef journal = journal();
        TestProbe<Object> entity = testKit.createTestProbe();
        journal.tell(new JournalProtocol.WriteMessages(seq(new AtomicWrite(seq(event("p-twice", 1, "event 1")))),
                toClassic(entity), 1), ActorRef.noSender());
        entity.expectMessage(Duration.ofSeconds(10), JournalProtocol.WriteMessagesSuccessful$.MODULE$);
        entity.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);

        PersistentRepr again = event("p-twice", 1, "event 1");
        journal.tell(new JournalProtocol.WriteMessages(seq(new AtomicWrite(seq(again))), toClassic(entity), 2),
                ActorRef.noSender());
        var failed = assertInstanceOf(JournalProtocol.WriteMessagesFailed.class, entity.receiveMessage(Duration.ofSeconds(10)));
        assertEquals(1, failed.writeCount());
        var failure = assertInstanceOf(JournalProtocol.WriteMessageFailure.class, entity.receiveMessage());
        assertSame(again, failure.message());
        assertEquals("23505", ((SQLException) failure.cause()).getSQLState());
    }

    @Test
    void taggedEventsAreWrittenWithTheirTagsByTheJdbcJournal() throws Exception {
        ActorRef journal = journal();
        TestProbe<Object> entity = testKit.createTestProbe();
        journal.tell(new JournalProtocol.WriteMessages(seq(new AtomicWrite(seq(event("p-tagged", 1,
                new Tagged("event 1", CollectionConverters.asScala(java.util.Set.of("a-tag")).toSet()))))),
                toClassic(entity), 1), ActorRef.noSender());
        entity.expectMessage(Duration.ofSeconds(10), JournalProtocol.WriteMessagesSuccessful$.MODULE$);
        entity.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
        try (Connection c = connect(); var statement = c.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM event_tag t JOIN event_journal j"
                     + " ON t.event_id = j.ordering WHERE t.tag = 'a-tag' AND j.persistence_id = 'p-tagged'")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void aRecoveryAskedForWhileAWriteIsInFlightWaitsForIt() throws Exception {
        ActorRef journal = journal();
        TestProbe<Object> writing = testKit.createTestProbe();
        TestProbe<Object> recovering = testKit.createTestProbe();
        try (Connection lock = connect(); var statement = lock.createStatement()) {
            // Inserts wait for this lock; reads do not.
            lock.setAutoCommit(false);
            statement.execute("LOCK TABLE event_journal IN EXCLUSIVE MODE");
            journal.tell(new JournalProtocol.WriteMessages(seq(new AtomicWrite(seq(event("p-recover", 1, "event 1"),
                    event("p-recover", 2, "event 2")))), toClassic(writing), 1), ActorRef.noSender());
            journal.tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, "p-recover",
                    toClassic(recovering)), ActorRef.noSender());
            // Answered now, the recovery would find no event, and the entity would write sequence number 1 again.
            recovering.expectNoMessage(Duration.ofMillis(500));
            lock.commit();
        }
        for (int seq = 1; seq <= 2; seq++) {
            var replayed = assertInstanceOf(JournalProtocol.ReplayedMessage.class, recovering.receiveMessage(Duration.ofSeconds(10)));
            assertEquals(seq, replayed.persistent().sequenceNr());
        }
        assertEquals(new JournalProtocol.RecoverySuccess(2), recovering.receiveMessage());
        writing.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    }

    /** The default journal of the test's node configuration: the grouped write journal. */
    static ActorRef journal() {
        ActorRef journal = Persistence.get(Adapter.toClassic(testKit.system())).journalFor("", ConfigFactory.empty());
        assertEquals("invoka-grouped-journal", journal.path().name());
        return journal;
    }

    static PersistentRepr event(String id, long seq, Object payload) {
        return PersistentRepr$.MODULE$.apply(payload, seq, id, "", false, ActorRef.noSender(), "writer-uuid");
    }

    @SafeVarargs
    static <T> scala.collection.immutable.Seq<T> seq(T... items) {
        return CollectionConverters.asScala(List.of(items)).toList();
    }

    static ActorRef toClassic(TestProbe<Object> probe) {
        return Adapter.toClassic(probe.ref());
    }

    @Test
    void writesQueuedDuringAnInsertGoIntoTheNextOneSplitAtTheRowLimit() throws Exception {
        // Queued while the first insert waits for its connection: 2 + 1 rows, then 2 (over the limit of 3).
        Gate gate = writeBehindOne(3, "test-writer-1", rows("q-a", 1, 1),
                List.of(rows("q-b", 1, 2), rows("q-c", 1, 1), rows("q-d", 1, 2)));
        assertEquals(3, gate.statements.get(), "one statement for the first write, two for the three queued");
        assertEquals(List.of(1, 3, 2), gate.inserted);
        assertEquals(List.of("q-a:1", "q-b:1", "q-b:2", "q-c:1", "q-d:1", "q-d:2"), stored("q-%"));
    }

    @Test
    void aGroupOverTheRowLimitIsWrittenInInsertsOfAboutTheSameSize() throws Exception {
        // Five one-row writes under a limit of 4: two inserts, of 3 and 2 rows, not of 4 and 1.
        List<List<JournalPekkoSerializationRow>> queued = new ArrayList<>();
        for (String id : List.of("e-b", "e-c", "e-d", "e-e", "e-f")) queued.add(rows(id, 1, 1));
        Gate gate = writeBehindOne(4, "test-writer-3", rows("e-a", 1, 1), queued);
        assertEquals(List.of(1, 3, 2), gate.inserted);
        assertEquals(List.of("e-a:1", "e-b:1", "e-c:1", "e-d:1", "e-e:1", "e-f:1"), stored("e-%"));
    }

    @Test
    void aWriteOfNoRowsIsAnsweredAndTheWriterGoesOn() throws Exception {
        GroupedJournalWriter writer = new GroupedJournalWriter(GroupedWriteJournalTest::connect, table, ExecutionContext.global(), 24, "test-writer-4");
        try {
            await(write(writer, List.of()));
            await(write(writer, rows("n-a", 1, 1)));
            assertEquals(List.of("n-a:1"), stored("n-%"));
        } finally {
            writer.close(() -> {});
        }
    }

    /**
     * A writer with the given row limit writes {@code first}; {@code queued} are written while that insert waits
     * for its connection, then the gate opens. The gate, once every write is answered.
     */
    static Gate writeBehindOne(int maxRows, String threadName, List<JournalPekkoSerializationRow> first,
                               List<List<JournalPekkoSerializationRow>> queued) throws Exception {
        Gate gate = new Gate();
        GroupedJournalWriter writer = new GroupedJournalWriter(gate::connection, table, ExecutionContext.global(), maxRows, threadName);
        try {
            CompletableFuture<Void> firstAnswered = write(writer, first);
            gate.awaitEntered();
            List<CompletableFuture<Void>> answered = new ArrayList<>();
            for (List<JournalPekkoSerializationRow> rows : queued) answered.add(write(writer, rows));
            gate.open();
            await(firstAnswered);
            for (CompletableFuture<Void> write : answered) await(write);
            return gate;
        } finally {
            writer.close(() -> {});
        }
    }

    @Test
    void aDuplicateKeyFailsOnlyItsOwnWrite() throws Exception {
        GroupedJournalWriter setup = new GroupedJournalWriter(GroupedWriteJournalTest::connect, table, ExecutionContext.global(), 400, "test-setup");
        await(write(setup, rows("d-taken", 1, 1)));
        setup.close(() -> {});

        Gate gate = new Gate();
        GroupedJournalWriter writer = new GroupedJournalWriter(gate::connection, table, ExecutionContext.global(), 400, "test-writer-2");
        try {
            CompletableFuture<Void> first = write(writer, rows("d-a", 1, 1));
            gate.awaitEntered();
            CompletableFuture<Void> before = write(writer, rows("d-b", 1, 2));
            CompletableFuture<Void> duplicate = write(writer, rows("d-taken", 1, 1));
            CompletableFuture<Void> after = write(writer, rows("d-c", 1, 1));
            gate.open();
            await(first);
            await(before);
            await(after);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(duplicate));
            assertEquals("23505", ((SQLException) failed.getCause()).getSQLState());
            assertEquals(List.of("d-a:1", "d-b:1", "d-b:2", "d-c:1", "d-taken:1"), stored("d-%"));
            // The first write, the group of three that failed, then each of the three alone.
            assertEquals(5, gate.statements.get());
        } finally {
            writer.close(() -> {});
        }
    }

    @Test
    void aConnectionTheDatabaseDroppedWhileTheWriterWasIdleIsReplacedBeforeTheNextWrite() throws Exception {
        GroupedJournalWriter writer = new GroupedJournalWriter(
                () -> DriverManager.getConnection(db.get("INVOKA_DB_URL") + "?ApplicationName=idle-writer",
                        db.get("INVOKA_DB_USER"), db.get("INVOKA_DB_PASSWORD")),
                table, ExecutionContext.global(), 400, "test-writer-3");
        try {
            await(write(writer, rows("i-a", 1, 1)));
            try (Connection admin = connect(); var statement = admin.createStatement();
                 var killed = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         + " WHERE application_name = 'idle-writer'")) {
                assertTrue(killed.next() && killed.getBoolean(1), "the writer's connection was terminated");
                assertFalse(killed.next());
            }
            Thread.sleep(700);
            await(write(writer, rows("i-a", 2, 2)));
            assertEquals(List.of("i-a:1", "i-a:2"), stored("i-%"));
        } finally {
            writer.close(() -> {});
        }
    }

    /** Events from..to of {@code id}, as the plugin's DAO serializes them. */
    static List<JournalPekkoSerializationRow> rows(String id, int from, int to) {
        List<JournalPekkoSerializationRow> rows = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            rows.add(new JournalPekkoSerializationRow(Long.MIN_VALUE, false, id, seq, "writer-uuid", System.currentTimeMillis(), "",
                    ("event " + seq).getBytes(StandardCharsets.UTF_8), 4, "", Option.empty(), Option.empty(), Option.empty()));
        }
        return rows;
    }

    /** Queues a write; the future completes once the writer answered it. */
    static CompletableFuture<Void> write(GroupedJournalWriter writer, List<JournalPekkoSerializationRow> rows) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        writer.write(rows, failure -> {
            if (failure == null) answered.complete(null);
            else answered.completeExceptionally(failure);
        });
        return answered;
    }

    static void await(CompletableFuture<Void> write) throws Exception {
        write.get(10, TimeUnit.SECONDS);
    }

    /** "id:seq" of the stored events whose id is LIKE {@code pattern}, in key order; payloads checked too. */
    static List<String> stored(String pattern) throws SQLException {
        try (Connection c = connect();
             var statement = c.prepareStatement("SELECT persistence_id, sequence_number, event_payload FROM event_journal"
                     + " WHERE persistence_id LIKE ? ORDER BY persistence_id, sequence_number")) {
            statement.setString(1, pattern);
            List<String> keys = new ArrayList<>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    assertEquals("event " + rows.getLong(2), new String(rows.getBytes(3), StandardCharsets.UTF_8));
                    keys.add(rows.getString(1) + ":" + rows.getLong(2));
                }
            }
            return keys;
        }
    }

    /**
     * Connections that count the statements prepared on them and keep the rows each insert reported; the first
     * is held back until opened.
     */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch opened = new CountDownLatch(1);
        final AtomicInteger statements = new AtomicInteger();
        final List<Integer> inserted = new CopyOnWriteArrayList<>();

        Connection connection() throws SQLException {
            entered.countDown();
            try {
                if (!opened.await(10, TimeUnit.SECONDS)) throw new SQLException("the gate was not opened");
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
            Connection real = connect();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(real, method, args);
                        if (!method.getName().equals("prepareStatement")) return result;
                        statements.incrementAndGet();
                        PreparedStatement statement = (PreparedStatement) result;
                        return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                                    Object r = invoke(statement, m, a);
                                    if (m.getName().equals("executeUpdate")) inserted.add((Integer) r);
                                    return r;
                                });
                    });
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the writer asked for a connection");
        }

        void open() {
            opened.countDown();
        }
    }
}
