package dev.invoka.node.journal;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.invoka.node.journal.AppendingEntity.Add;
import dev.invoka.node.journal.AppendingEntity.Command;
import dev.invoka.node.journal.AppendingEntity.Get;
import dev.invoka.node.journal.AppendingEntity.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The journal and snapshot DAOs on a real embedded H2 file journal, configured as the node configures
 * them: an entity recovers every event in order from its newest snapshot, across several replay pages,
 * continues at the right sequence number, and keeps two snapshots, in the database (PostgreSQL's
 * snapshot store) or in files (the embedded node's).
 */
class JournalDaosTest {

    static final Path dir = tempDir();
    static final String url = dev.invoka.node.InvokaNode.h2Url(dir.resolve("journal"));
    static final Path snapshotFiles = dir.resolve("snapshots");
    static final String jdbcSnapshots = "jdbc-snapshot-store";
    static final String fileSnapshots = "invoka-file-snapshot-store";
    static final ActorTestKit testKit = ActorTestKit.create("journal-daos", ConfigFactory.parseString("""
                    pekko-persistence-jdbc.shared-databases.default.db.url = "%s"
                    jdbc-journal.replayBatchSize = 7
                    invoka-file-snapshot-store.dir = "%s"
                    pekko.actor.serialization-bindings { "dev.invoka.node.CborSerializable" = jackson-cbor }
                    """.formatted(url, snapshotFiles))
            .withFallback(ConfigFactory.parseResources("node-persistence.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());

    static {
        try {
            JournalSchema.createIfMissing(testKit.system());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("invoka-journal");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** Appends what it is told; snapshots every {@code every} events to the database. */
    static Behavior<Command> entity(String id, int every) {
        return AppendingEntity.behavior(id, every, jdbcSnapshots);
    }

    static Behavior<Command> entity(String id, int every, String snapshotPlugin) {
        return AppendingEntity.behavior(id, every, snapshotPlugin);
    }

    static long add(ActorRef<Command> entity, String event) {
        TestProbe<Long> probe = testKit.createTestProbe();
        entity.tell(new Add(event, probe.ref()));
        return probe.receiveMessage(Duration.ofSeconds(10));
    }

    static List<String> events(ActorRef<Command> entity) {
        TestProbe<Log> probe = testKit.createTestProbe();
        entity.tell(new Get(probe.ref()));
        return probe.receiveMessage(Duration.ofSeconds(10)).events();
    }

    static void stop(ActorRef<Command> entity) {
        testKit.stop(entity, Duration.ofSeconds(10));
    }

    static int snapshotRows(String id) throws Exception {
        try (var connection = DriverManager.getConnection(url, "sa", "");
             var statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?")) {
            statement.setString(1, id);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void anEntityRecoversEveryEventInOrderAndContinuesAfterTheLast() throws Exception {
        List<String> written = new ArrayList<>();
        ActorRef<Command> first = testKit.spawn(entity("replayed", 20));
        for (int i = 1; i <= 53; i++) {
            written.add("e" + i);
            assertEquals(i, add(first, "e" + i));
        }
        stop(first);

        // Snapshots at 20 and 40; 41..53 are replayed in pages of 7 (replayBatchSize).
        ActorRef<Command> second = testKit.spawn(entity("replayed", 20));
        assertEquals(written, events(second));
        assertEquals(54, add(second, "e54"), "the next event follows the highest sequence number");
        stop(second);

        ActorRef<Command> third = testKit.spawn(entity("replayed", 1_000));
        written.add("e54");
        assertEquals(written, events(third), "without new snapshots too");
        stop(third);
    }

    @Test
    void onlyTheTwoNewestSnapshotsAreKept() throws Exception {
        ActorRef<Command> entity = testKit.spawn(entity("pruned", 5));
        for (int i = 1; i <= 34; i++) add(entity, "e" + i);
        // Snapshots were taken at 5, 10, ..., 30; the save after each deletes what is older than the one before.
        long deadline = System.currentTimeMillis() + 10_000;
        while (snapshotRows("pruned") != 2 && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertEquals(2, snapshotRows("pruned"));
        stop(entity);

        ActorRef<Command> again = testKit.spawn(entity("pruned", 5));
        assertEquals(34, events(again).size());
        stop(again);
    }

    @Test
    void onlyTheTwoNewestSnapshotFilesAreKept() throws Exception {
        ActorRef<Command> entity = testKit.spawn(entity("filed", 5, fileSnapshots));
        for (int i = 1; i <= 34; i++) add(entity, "e" + i);
        long deadline = System.currentTimeMillis() + 10_000;
        while (snapshotFiles("filed").size() != 2 && System.currentTimeMillis() < deadline) Thread.sleep(50);
        List<String> kept = snapshotFiles("filed");
        assertEquals(2, kept.size(), kept::toString);
        assertTrue(kept.get(0).contains("-25-") && kept.get(1).contains("-30-"), kept::toString);
        stop(entity);

        ActorRef<Command> again = testKit.spawn(entity("filed", 5, fileSnapshots));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 34; i++) expected.add("e" + i);
        assertEquals(expected, events(again), "recovered from the snapshot at 30 and the 4 events after it");
        stop(again);
    }

    /** Pekko's names of the snapshot files of {@code id}: snapshot-{id}-{sequence number}-{timestamp}. */
    static List<String> snapshotFiles(String id) throws java.io.IOException {
        try (var files = Files.list(snapshotFiles)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("snapshot-" + id + "-"))
                    .sorted(java.util.Comparator.comparingLong(n -> Long.parseLong(n.split("-")[2]))).toList();
        }
    }

    @Test
    void anEntityWithNoEventsStartsAtOne() {
        ActorRef<Command> entity = testKit.spawn(entity("empty", 20));
        assertEquals(List.of(), events(entity));
        assertEquals(1, add(entity, "first"));
        stop(entity);
    }
}
