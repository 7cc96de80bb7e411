package dev.invoka.node.journal;

import static dev.invoka.node.journal.Jdbc.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * The PostgreSQL journal's write path: a thread of its own inserts every entity's pending events with one
 * statement, so that the events that arrive while one insert is in flight all go into the next.
 *
 * <p>pekko-persistence-jdbc groups writes across entities too, but each group passes through a stream stage,
 * Slick's executor (a transaction of two round trips, each step handed to another thread) and a connection
 * borrowed from the pool; on this machine those hand-offs cost the node more than the insert does
 * (docs/benchmarks.md, "the node's own write path on PostgreSQL"). Here a write is appended to a list under a lock. The writer
 * thread takes the whole list, inserts it as one {@code INSERT ... SELECT FROM unnest(arrays)} on a
 * connection it keeps, in autocommit (one statement, one transaction: a write is stored whole or not at
 * all), and answers the statement's writes in one task on the given executor. A list longer than the row
 * limit is inserted by several statements of about the same size in a row, each answered once it commits,
 * so that the node answers the first part while the database inserts the next (docs/benchmarks.md, "Eighth
 * session"). One thread, not more: with two, groups halved and PostgreSQL's cost per event rose more than
 * the overlap gained.
 *
 * <p>A failed insert fails its writes, as the plugin's failed transaction does, and the entities
 * see a persist failure; nothing was acknowledged. The one exception: when a group of several writes breaks a
 * unique key (an entity written by a node that no longer owns it), each write is tried alone, so that only
 * the offending one fails. After any other failure the connection goes back to the pool and the next group
 * takes a new one. A connection the writer kept through more than half a second without writing is checked
 * first, as the pool checks the ones it lends, and replaced if the database dropped it meanwhile.
 */
final class GroupedJournalWriter {

    private static final Logger log = LoggerFactory.getLogger(GroupedJournalWriter.class);
    /** A kept connection goes back to the pool after this long, so that the pool can retire it. */
    private static final long CONNECTION_NANOS = 300_000_000_000L;
    private static final long IDLE_CHECK_NANOS = 500_000_000L;
    private static final String UNIQUE_VIOLATION = "23505";

    /** What a write's owner is told once its rows are committed (null) or not (the failure). */
    interface Done {
        void completed(Throwable failure);
    }

    private static final class Write {
        final List<JournalPekkoSerializationRow> rows;
        private final Done done;
        private final AtomicBoolean answered = new AtomicBoolean();

        Write(List<JournalPekkoSerializationRow> rows, Done done) {
            this.rows = rows;
            this.done = done;
        }

        /** Tells the owner, once: a write answered twice would be acknowledged twice. */
        void answer(Throwable failure) {
            if (!answered.compareAndSet(false, true)) return;
            try {
                done.completed(failure);
            } catch (RuntimeException e) {
                log.error("journal writer: answering a write failed", e);
            }
        }
    }

    /** Where the writer takes its connections: the journal's pool. */
    interface Connections {
        Connection get() throws SQLException;

        /** Closes a connection found dead, so that the pool does not lend it again. */
        default void evict(Connection connection) throws SQLException {
            connection.close();
        }
    }

    private final Connections connections;
    private final ExecutionContext ec;
    private final int maxRows;
    private final String sql;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    // Needs no bound: each entity waits for its write to complete before it sends the next.
    private ArrayList<Write> queue = new ArrayList<>();
    private boolean closed;
    private Runnable afterClose;
    // The writer thread's own.
    private Connection connection;
    private long connectionSince;
    private long lastUsed;

    /**
     * @param ec where the writes are answered
     * @param maxRows the most rows one statement carries ({@code invoka.db.insert-rows}); a bigger group is
     *     written with several statements of about the same size, one after the other, each write whole in one
     *     and each statement answered as soon as it commits
     */
    GroupedJournalWriter(Connections connections, EventJournalTableConfiguration table, ExecutionContext ec,
                         int maxRows, String threadName) {
        this.connections = connections;
        this.ec = ec;
        this.maxRows = Math.max(1, maxRows);
        EventJournalTableColumnNames c = table.columnNames();
        this.sql = "INSERT INTO " + Jdbc.table(table.schemaName(), table.tableName()) + " ("
                + String.join(", ", q(c.persistenceId()), q(c.sequenceNumber()), q(c.deleted()), q(c.writer()),
                        q(c.writeTimestamp()), q(c.adapterManifest()), q(c.eventSerId()), q(c.eventSerManifest()),
                        q(c.eventPayload()))
                + ") SELECT * FROM unnest(?::varchar[], ?::int8[], ?::bool[], ?::varchar[], ?::int8[], ?::varchar[],"
                + " ?::int4[], ?::varchar[], ?::bytea[])";
        Thread thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues the rows of one write; {@code done} is called once they are committed or not, on the
     * executor, in one task with the other writes of the same statement (or at once if the writer is closed).
     */
    void write(List<JournalPekkoSerializationRow> rows, Done done) {
        Write write = new Write(rows, done);
        boolean refused;
        lock.lock();
        try {
            refused = closed;
            if (!refused) {
                queue.add(write);
                if (queue.size() == 1) pending.signal();
            }
        } finally {
            lock.unlock();
        }
        if (refused) write.answer(new IllegalStateException("the journal writer is closed"));
    }

    /**
     * Stops taking writes; those already queued are still written, then {@code after} runs on the writer's
     * thread, once the last write is answered, and the thread ends.
     */
    void close(Runnable after) {
        lock.lock();
        try {
            closed = true;
            afterClose = after;
            pending.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Runnable after;
        while (true) {
            ArrayList<Write> group;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) pending.awaitUninterruptibly();
                if (queue.isEmpty()) {
                    after = afterClose;
                    break;
                }
                group = queue;
                queue = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            int total = 0;
            for (Write write : group) total += write.rows.size();
            // As few inserts as maxRows allows, of about the same size: a group of 30 rows under a limit of 24 is
            // written as 15 and 15, not as 24 and a 6-row insert that would cost a commit of its own.
            int inserts = Math.max(1, (total + maxRows - 1) / maxRows); // 1 for writes of no rows: no division by 0
            int target = (total + inserts - 1) / inserts;
            int from = 0;
            while (from < group.size()) {
                int to = from, rows = 0;
                while (to < group.size()
                        && (to == from || (rows < target && rows + group.get(to).rows.size() <= maxRows))) {
                    rows += group.get(to++).rows.size();
                }
                List<Write> writes = List.copyOf(group.subList(from, to));
                try {
                    flush(writes);
                } catch (RuntimeException e) {
                    // Never leave a write unanswered, nor end the thread that every later write waits for.
                    log.error("journal writer: {} writes failed", writes.size(), e);
                    for (Write write : writes) write.answer(e);
                }
                from = to;
            }
        }
        release();
        try {
            after.run();
        } catch (RuntimeException e) {
            log.warn("journal writer: closing failed", e);
        }
    }

    private void flush(List<Write> writes) {
        SQLException failure = insert(writes);
        if (failure != null && writes.size() > 1 && UNIQUE_VIOLATION.equals(failure.getSQLState())) {
            for (Write write : writes) flush(List.of(write));
            return;
        }
        if (failure != null) log.warn("journal insert of {} writes failed: {}", writes.size(), failure.toString());
        Runnable answers = () -> {
            for (Write write : writes) write.answer(failure);
        };
        try {
            ec.execute(answers);
        } catch (RuntimeException rejected) {
            answers.run();
        }
    }

    /** Inserts the writes' rows with one statement; the failure, or null. */
    private SQLException insert(List<Write> writes) {
        int count = 0;
        for (Write write : writes) count += write.rows.size();
        String[] ids = new String[count];
        Long[] seqs = new Long[count];
        Boolean[] deleted = new Boolean[count];
        String[] writers = new String[count];
        Long[] timestamps = new Long[count];
        String[] adapters = new String[count];
        Integer[] serIds = new Integer[count];
        String[] manifests = new String[count];
        byte[][] payloads = new byte[count][];
        int i = 0;
        for (Write write : writes) {
            for (JournalPekkoSerializationRow row : write.rows) {
                ids[i] = row.persistenceId();
                seqs[i] = row.sequenceNumber();
                deleted[i] = row.deleted();
                writers[i] = row.writer();
                timestamps[i] = row.writeTimestamp();
                adapters[i] = row.adapterManifest();
                serIds[i] = row.eventSerId();
                manifests[i] = row.eventSerManifest();
                payloads[i] = row.eventPayload();
                i++;
            }
        }
        try {
            Connection c = connection();
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setArray(1, c.createArrayOf("varchar", ids));
                statement.setArray(2, c.createArrayOf("int8", seqs));
                statement.setArray(3, c.createArrayOf("bool", deleted));
                statement.setArray(4, c.createArrayOf("varchar", writers));
                statement.setArray(5, c.createArrayOf("int8", timestamps));
                statement.setArray(6, c.createArrayOf("varchar", adapters));
                statement.setArray(7, c.createArrayOf("int4", serIds));
                statement.setArray(8, c.createArrayOf("varchar", manifests));
                statement.setArray(9, c.createArrayOf("bytea", payloads));
                int inserted = statement.executeUpdate();
                if (inserted != count) throw new SQLException("inserted " + inserted + " of " + count + " events");
            }
            return null;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) release();
            return e;
        } catch (RuntimeException e) {
            release();
            return new SQLException(e.toString(), e);
        }
    }

    private Connection connection() throws SQLException {
        long now = System.nanoTime();
        if (connection != null && now - connectionSince > CONNECTION_NANOS) release();
        // As the pool checks a connection idle for more than half a second before lending it: a database
        // restarted while the writer had nothing to write fails no group. Under load there is no check.
        if (connection != null && now - lastUsed > IDLE_CHECK_NANOS && !connection.isValid(5)) {
            Connection dead = connection;
            connection = null;
            connections.evict(dead);
        }
        lastUsed = now;
        if (connection == null) {
            Connection c = connections.get();
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
            connectionSince = System.nanoTime();
        }
        return connection;
    }

    private void release() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the journal writer's connection failed: {}", e.toString());
        }
        connection = null;
    }
}
