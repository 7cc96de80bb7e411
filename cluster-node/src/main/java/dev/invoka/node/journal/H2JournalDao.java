package dev.invoka.node.journal;

import static dev.invoka.node.journal.Jdbc.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.jdbc.H2Profile;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * pekko-persistence-jdbc's journal DAO with the two reads of a recovery rewritten for embedded H2.
 *
 * <p>The plugin asks for the highest sequence number and for each batch of events to replay with
 * {@code ORDER BY sequence_number}. H2 sorts by an index only when the ORDER BY starts with the index's
 * first column, and the primary key is (persistence_id, sequence_number); so for every one of those
 * queries H2 read and sorted all of the entity's remaining events, payloads included, to return one row
 * or a batch: with a million queued events, 4 s for the highest sequence number and 9 s for the first
 * batch (docs/benchmarks.md, backlog recovery). Ordering by both key columns gives the same rows in the
 * same order, read from the index. Writes, deletes and the other reads are the plugin's. On another
 * database (PostgreSQL, whose planner uses the index either way) everything is the plugin's; there the
 * node's accepts do not come here at all ({@link GroupedWriteJournal} writes them).
 */
public final class H2JournalDao extends DefaultJournalDao {

    private final Serialization serialization;
    private final boolean h2;
    private final int pageSize;
    private final String highestSql;
    private final String messagesSql;

    public H2JournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                        Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        this.serialization = serialization;
        this.h2 = profile instanceof H2Profile;
        this.pageSize = journalConfig.daoConfig().replayBatchSize();
        EventJournalTableConfiguration table = journalConfig.eventJournalTableConfiguration();
        EventJournalTableColumnNames c = table.columnNames();
        String name = Jdbc.table(table.schemaName(), table.tableName());
        String id = q(c.persistenceId());
        String seq = q(c.sequenceNumber());
        this.highestSql = "SELECT " + seq + " FROM " + name + " WHERE " + id + " = ? ORDER BY " + id + " DESC, "
                + seq + " DESC LIMIT 1";
        this.messagesSql = "SELECT " + String.join(", ", q(c.ordering()), q(c.deleted()), id, seq, q(c.writer()), q(c.writeTimestamp()), q(c.adapterManifest()),
                q(c.eventPayload()), q(c.eventSerId()), q(c.eventSerManifest()), q(c.metaPayload()),
                q(c.metaSerId()), q(c.metaSerManifest()))
                + " FROM " + name + " WHERE " + id + " = ? AND " + q(c.deleted()) + " = FALSE AND " + seq + " >= ? AND "
                + seq + " <= ? ORDER BY " + id + ", " + seq + " LIMIT ?";
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
        if (!h2) return super.highestSequenceNr(persistenceId, fromSequenceNr);
        return (Future) Jdbc.run(db(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(highestSql)) {
                statement.setString(1, persistenceId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    /** At most {@code max} events from {@code from} to {@code to}, read a page at a time. */
    @Override
    public org.apache.pekko.stream.scaladsl.Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(
            String persistenceId, long from, long to, long max) {
        if (!h2) return super.messages(persistenceId, from, to, max);
        record Page(long from, long left) {}
        return Source.unfoldAsync(new Page(from, max), page -> {
                    if (page.left() <= 0 || page.from() > to) {
                        return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
                    }
                    int limit = (int) Math.min(page.left(), pageSize);
                    return FutureConverters.asJava(Jdbc.run(db(), connection -> read(connection, persistenceId, page.from(), to, limit)))
                            .thenApply(rows -> {
                                if (rows.isEmpty()) return Optional.<Pair<Page, List<JournalPekkoSerializationRow>>>empty();
                                long next = rows.get(rows.size() - 1).sequenceNumber() + 1;
                                long left = rows.size() < limit ? 0 : page.left() - rows.size();
                                return Optional.of(Pair.create(new Page(next, left), rows));
                            });
                })
                .mapConcat(rows -> rows)
                .map(row -> PekkoSerialization.fromRow(serialization, row))
                .asScala();
    }

    private List<JournalPekkoSerializationRow> read(Connection connection, String persistenceId, long from, long to,
                                                    int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(messagesSql)) {
            statement.setString(1, persistenceId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            statement.setInt(4, limit);
            List<JournalPekkoSerializationRow> rows = new ArrayList<>(limit);
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    int metaSerId = r.getInt(12);
                    Option<Object> metaId = r.wasNull() ? Option.empty() : Option.apply(metaSerId);
                    rows.add(new JournalPekkoSerializationRow(r.getLong(1), r.getBoolean(2), r.getString(3), r.getLong(4),
                            r.getString(5), r.getLong(6), r.getString(7), r.getBytes(8), r.getInt(9), r.getString(10),
                            Option.apply(r.getBytes(11)), metaId, Option.apply(r.getString(13))));
                }
            }
            return rows;
        }
    }
}
