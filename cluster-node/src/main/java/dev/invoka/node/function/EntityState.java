package dev.invoka.node.function;

/**
 * Everything a {@link FunctionEntity} folds from its journal: what the function is (immutable) and its
 * async queue (mutable, see {@link AsyncQueue}), plus the count of events folded, which is the journal
 * sequence number of the last one (payloads are found again by it).
 */
public final class EntityState {

    private FunctionState function;
    private final AsyncQueue async;
    private long seqNr;
    private long snapshotSeqNr;

    EntityState(FunctionState function, AsyncQueue async, long seqNr) {
        this.function = function;
        this.async = async;
        this.seqNr = seqNr;
    }

    public FunctionState function() {
        return function;
    }

    public AsyncQueue async() {
        return async;
    }

    public long seqNr() {
        return seqNr;
    }

    /** The sequence number of the last snapshot taken or restored (0: none). */
    long snapshotSeqNr() {
        return snapshotSeqNr;
    }

    /**
     * Whether to snapshot after the event at {@code seqNr}: when the events since the last snapshot reach
     * a thirty-second of the queue (at least {@code minEvents}), so a snapshot's cost, which grows with the
     * queue, is spread over as many events, and recovery replays at most that many. Not beyond
     * {@code maxQueue} events: one snapshot is one value in memory (26 MB for a million events, see
     * {@link PackedPending}).
     */
    boolean shouldSnapshot(long minEvents, long maxQueue) {
        if (async.depth() > maxQueue) return false;
        if (seqNr - snapshotSeqNr < Math.max(minEvents, async.depth() / 32)) return false;
        snapshotSeqNr = seqNr;
        return true;
    }

    EntitySnapshot snapshot() {
        return async.snapshot(function, seqNr);
    }

    static EntityState restore(EntitySnapshot snapshot, AsyncQueue empty) {
        empty.restore(snapshot);
        EntityState state = new EntityState(snapshot.function(), empty, snapshot.seqNr());
        state.snapshotSeqNr = snapshot.seqNr();
        return state;
    }

    /** The event handler: one event, in journal order. */
    EntityState apply(FunctionEvent event) {
        seqNr++;
        if (event instanceof FunctionEvent.Management m) {
            if (m instanceof FunctionEvent.FunctionDeleted) async.dropPending();
            function = function.apply(m);
        } else {
            async.apply((FunctionEvent.Async) event, seqNr);
        }
        return this;
    }
}
