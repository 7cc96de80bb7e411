package dev.invoka.node.function;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.invoka.node.CborSerializable;
import dev.invoka.node.lifecycle.Condition;
import java.util.List;

/**
 * The journal form of an {@link EntityState}: what the function is and its queue's metadata, without
 * payloads (they stay in the journal and are read back by sequence number). The waiting and running
 * events are {@code packedPending} ({@link PackedPending}), so that a million of them make one value of
 * about 26 MB; {@code pending}, one CBOR array per event, is what snapshots written before held, and is
 * still read.
 */
public record EntitySnapshot(FunctionState function, long seqNr, long nextOrder, List<String> arns,
                             List<PendingEntry> pending, List<OutcomeEntry> undelivered, List<AsyncQueue.Finished> recent,
                             List<AbandonedEntry> abandoned, byte[] packedPending)
        implements CborSerializable {

    /** An {@link AsyncQueue.Abandoned}, its outcome without the request payload. */
    public record AbandonedEntry(OutcomeEntry outcome, FunctionEvent.Target target, String reason, long atMs) {}

    /** A {@link AsyncQueue.Pending} without its payload; {@code arn} indexes {@link #arns()}. Read only. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record PendingEntry(String requestId, int arn, long acceptedAtMs, int hops, int attempts, int throttles,
                               long dueAtMs, long order, long payloadSeqNr, byte[] lastError, String redriveOf) {}

    /** An {@link AsyncQueue.Outcome} without the request payload. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record OutcomeEntry(String requestId, String qualifier, String invokedArn, Condition condition, int attempts,
                               long acceptedAtMs, long finishedAtMs, int hops, long payloadSeqNr, byte[] response,
                               String destination, String deadLetter) {}
}
