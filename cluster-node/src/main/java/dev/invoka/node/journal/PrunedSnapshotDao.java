package dev.invoka.node.journal;

import static dev.invoka.node.journal.Jdbc.q;

import java.sql.PreparedStatement;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.jdbc.config.SnapshotConfig;
import org.apache.pekko.persistence.jdbc.config.SnapshotTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.SnapshotTableConfiguration;
import org.apache.pekko.persistence.jdbc.snapshot.dao.DefaultSnapshotDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * pekko-persistence-jdbc's snapshot DAO, keeping two snapshots per entity: after a snapshot is saved,
 * those older than the one before it are deleted. A function entity snapshots by its own rule (a thirty-second
 * of its queue), for which Pekko deletes nothing, and a deep queue's snapshot is megabytes: kept, they
 * filled the disk, and embedded H2, which sorts all of an entity's snapshots to find the newest, read
 * them all at each recovery.
 */
public final class PrunedSnapshotDao extends DefaultSnapshotDao {

    private final JdbcBackend.JdbcDatabaseDef db;
    private final String pruneSql;

    public PrunedSnapshotDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, SnapshotConfig snapshotConfig,
                             Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, snapshotConfig, serialization, ec, mat);
        this.db = db;
        SnapshotTableConfiguration table = snapshotConfig.snapshotTableConfiguration();
        SnapshotTableColumnNames c = table.columnNames();
        String name = Jdbc.table(table.schemaName(), table.tableName());
        String id = q(c.persistenceId());
        String seq = q(c.sequenceNumber());
        // Older than the newest one below the snapshot just saved; nothing when there is none (NULL).
        this.pruneSql = "DELETE FROM " + name + " WHERE " + id + " = ? AND " + seq + " < (SELECT MAX(" + seq + ") FROM "
                + name + " WHERE " + id + " = ? AND " + seq + " < ?)";
    }

    @Override
    public Future<BoxedUnit> save(SnapshotMetadata metadata, Object snapshot) {
        return FutureConverters.asScala(FutureConverters.asJava(super.save(metadata, snapshot))
                .thenCompose(saved -> FutureConverters.asJava(prune(metadata.persistenceId(), metadata.sequenceNr())))
                .thenApply(pruned -> BoxedUnit.UNIT));
    }

    /** Deletes the snapshots of {@code persistenceId} older than the one before {@code newest}. */
    private Future<Integer> prune(String persistenceId, long newest) {
        return Jdbc.run(db, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(pruneSql)) {
                delete.setString(1, persistenceId);
                delete.setString(2, persistenceId);
                delete.setLong(3, newest);
                return delete.executeUpdate();
            }
        });
    }
}
