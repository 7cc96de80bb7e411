package dev.invoka.node;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the embedded journal's URL sets {@code REUSE_SPACE=FALSE} (see {@link InvokaNode#h2Url}): H2 2.5
 * loses a commit to a kill -9 when the commit was placed in space freed inside the file. A child JVM
 * drives H2's store (MVStore, what the database writes through) into that case: a large value, small
 * commits, the large value shrunk so that its chunk is freed, one last commit, then a halt without closing
 * anything. With space reuse the last commit is gone once the store is opened again; without, it is there.
 * And the node's URL does switch reuse off.
 */
class EmbeddedJournalKillTest {

    @Test
    void theLastCommitSurvivesAKillWhenSpaceIsNotReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.mv.db");
        writeAndHalt(file, false);
        assertArrayEquals(new byte[] {42}, lastValue(file), "the last commit is in the file after the kill");
    }

    /** The control: the same writes lose their last commit with space reuse, H2's default. */
    @Test
    void withSpaceReusedTheLastCommitIsLost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.mv.db");
        writeAndHalt(file, true);
        assertNull(lastValue(file), "H2 keeps the last commit now: InvokaNode.h2Url may not need REUSE_SPACE");
    }

    @Test
    void theNodesJournalDoesNotReuseSpace(@TempDir Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection(InvokaNode.h2Url(dir.resolve("journal")), "sa", "");
             ResultSet rows = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('REUSE_SPACE', 'WRITE_DELAY') ORDER BY SETTING_NAME")) {
            assertTrue(rows.next());
            assertEquals("false", rows.getString(1).toLowerCase(java.util.Locale.ROOT), "REUSE_SPACE");
            assertTrue(rows.next());
            assertEquals("0", rows.getString(1), "WRITE_DELAY");
        }
    }

    private static void writeAndHalt(Path file, boolean reuseSpace) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process writer = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, Writer.class.getName(), file.toString(), Boolean.toString(reuseSpace)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "writer finished");
        assertEquals(0, writer.exitValue(), "the writer halts after its last commit");
    }

    private static byte[] lastValue(Path file) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            return store.<String, byte[]>openMap("data").get("last");
        } finally {
            store.close();
        }
    }

    /** The child: commits in the order that makes H2 place the last commit inside the file, then halts. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            MVStore store = new MVStore.Builder().fileName(args[0]).autoCommitDisabled().open();
            store.setRetentionTime(0); // freed chunks are reusable at once, not after 45 s
            store.setReuseSpace(Boolean.parseBoolean(args[1]));
            MVMap<String, byte[]> data = store.openMap("data");
            commit(store, data, "big", new byte[400_000]);
            for (int i = 0; i < 20; i++) commit(store, data, "small-" + i, new byte[3_000]);
            commit(store, data, "big", new byte[10]); // the first chunk's page is now dead: it is freed
            for (int i = 0; i < 5; i++) {
                commit(store, data, "tiny-" + i, new byte[100]);
                Thread.sleep(20);
            }
            commit(store, data, "last", new byte[] {42});
            Runtime.getRuntime().halt(0);
        }

        private static void commit(MVStore store, MVMap<String, byte[]> data, String key, byte[] value) {
            data.put(key, value);
            store.commit();
        }
    }
}
