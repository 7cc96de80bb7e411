package dev.invoka.node.journal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * Creates the journal's tables when they are missing, at start-up, before anything reads or writes them.
 *
 * <p>On PostgreSQL several nodes may start at once, and two concurrent {@code CREATE TABLE IF NOT EXISTS} of the
 * same table can still fail (both pass the check, one insert into the catalog loses). So each node takes one
 * session-level advisory lock around the creation: the first creates, the others wait and then find the tables.
 * They wait by polling {@code pg_try_advisory_lock}, never inside a statement: the schema's
 * {@code CREATE INDEX CONCURRENTLY} waits for every open transaction, a blocked {@code pg_advisory_lock} call
 * included, and PostgreSQL cannot see that cycle (three nodes started at once hung here).
 * The embedded H2 journal belongs to one node, so it needs no lock; its tables come from
 * {@code h2-journal-schema.sql} (payloads as VARBINARY, not BLOB: see there).
 */
public final class JournalSchema {

    /** The journal settings SchemaUtils reads (see node-persistence.conf). */
    private static final String PLUGIN_SCHEMA = "invoka-schema-journal";

    /** Any constant shared by every Invoka node: the advisory lock's key. */
    private static final long LOCK_KEY = 0x1A70CA5C4E3AL;

    private JournalSchema() {}

    private static boolean tryLock(Connection c) throws java.sql.SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (var rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String h2Script() throws java.io.IOException {
        try (var in = JournalSchema.class.getResourceAsStream("/h2-journal-schema.sql")) {
            if (in == null) throw new IllegalStateException("h2-journal-schema.sql is missing from the classpath");
            String sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return sql.replaceAll("(?m)^--.*$", "");
        }
    }

    public static void createIfMissing(ActorSystem<?> system) throws Exception {
        Config db = system.settings().config().getConfig("pekko-persistence-jdbc.shared-databases.default");
        if (db.getString("profile").contains("H2")) {
            SchemaUtils.applyScript(h2Script(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            return;
        }
        if (!db.getString("profile").contains("Postgres")) {
            SchemaUtils.createIfNotExists(PLUGIN_SCHEMA, system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            return;
        }
        try (Connection c = DriverManager.getConnection(db.getString("db.url"), db.getString("db.user"), db.getString("db.password"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!tryLock(c)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("another node held the schema lock for 120 s");
                Thread.sleep(200);
            }
            try {
                SchemaUtils.createIfNotExists(PLUGIN_SCHEMA, system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } finally {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, LOCK_KEY);
                    unlock.execute();
                }
            }
        }
    }
}
