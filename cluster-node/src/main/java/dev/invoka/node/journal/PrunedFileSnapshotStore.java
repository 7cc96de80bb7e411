package dev.invoka.node.journal;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.local.LocalSnapshotStore;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;

/**
 * The embedded node's snapshot store: Pekko's file snapshot store (one file per snapshot, written to a
 * temporary file and renamed), keeping two snapshots per entity. Embedded H2 is no place for them: it
 * keeps a row in a page with its neighbours and rewrites the page when one of them changes, and writing
 * the 23 MB snapshot of a queue of 885,000 events ran a 512 MB heap out of memory and closed the
 * database. A file is written from the serialized bytes alone.
 *
 * <p>As with {@link PrunedSnapshotDao}: an entity snapshots by its own rule, for which Pekko deletes
 * nothing, so a save deletes the snapshots older than the one before it. The one before is known from
 * this store's own saves; after a restart, the first save deletes nothing. The deletion starts with the
 * save, on the store's actor as Pekko's own deletions do (it lists the folder and reads the store's state):
 * it keeps the one before, so a save that fails still leaves a snapshot to recover from.
 */
public final class PrunedFileSnapshotStore extends LocalSnapshotStore {

    /** The sequence number of the newest snapshot saved per entity; only touched by the actor. */
    private final Map<String, Long> newest = new HashMap<>();

    public PrunedFileSnapshotStore(Config config) {
        super(config);
    }

    @Override
    public Future<BoxedUnit> saveAsync(SnapshotMetadata metadata, Object snapshot) {
        Future<BoxedUnit> saved = super.saveAsync(metadata, snapshot);
        Long previous = newest.put(metadata.persistenceId(), metadata.sequenceNr());
        if (previous == null || previous >= metadata.sequenceNr()) return saved;
        SnapshotSelectionCriteria older = SnapshotSelectionCriteria.create(previous - 1, Long.MAX_VALUE);
        Future<BoxedUnit> deleted = deleteAsync(metadata.persistenceId(), older);
        return saved.flatMap(done -> deleted, context().dispatcher());
    }
}
