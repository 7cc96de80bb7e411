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
