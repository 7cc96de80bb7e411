package dev.invoka.node.function;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** Reads accepted events' payloads back from the journal through the read journal. */
public final class JournalPayloads implements FunctionDeps.PayloadStore {

    private final CurrentEventsByPersistenceIdQuery journal;
    private final ActorSystem<?> system;

    public JournalPayloads(CurrentEventsByPersistenceIdQuery journal, ActorSystem<?> system) {
        this.journal = journal;
        this.system = system;
    }

    @Override
    public CompletionStage<byte[]> load(String persistenceId, long sequenceNr) {
        return journal.currentEventsByPersistenceId(persistenceId, sequenceNr, sequenceNr)
                .runWith(Sink.headOption(), system)
                .thenApply(found -> found.map(EventEnvelope::event)
                        .filter(FunctionEvent.EventAccepted.class::isInstance)
                        .map(e -> ((FunctionEvent.EventAccepted) e).payload())
                        .orElseThrow(() -> new IllegalStateException(
                                "no accepted event at " + persistenceId + " #" + sequenceNr)));
    }
}
