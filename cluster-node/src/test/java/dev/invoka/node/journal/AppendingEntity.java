package dev.invoka.node.journal;

import dev.invoka.node.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/** The journal tests' event-sourced entity: it appends the strings it is told and answers with its log. */
final class AppendingEntity {

    private AppendingEntity() {}

    public record Log(List<String> events) implements CborSerializable {}

    sealed interface Command {}

    record Add(String event, ActorRef<Long> replyTo) implements Command {}

    record Get(ActorRef<Log> replyTo) implements Command {}

    /** Appends what it is told; snapshots every {@code every} events to {@code snapshotPlugin}. */
    static Behavior<Command> behavior(String id, int every, String snapshotPlugin) {
        return org.apache.pekko.actor.typed.javadsl.Behaviors.setup(ctx ->
                new EventSourcedBehavior<Command, String, Log>(PersistenceId.ofUniqueId(id)) {
                    @Override
                    public String snapshotPluginId() {
                        return snapshotPlugin;
                    }

                    @Override
                    public Log emptyState() {
                        return new Log(List.of());
                    }

                    @Override
                    public CommandHandler<Command, String, Log> commandHandler() {
                        return newCommandHandlerBuilder().forAnyState()
                                .onCommand(Add.class, (state, add) -> Effect().persist(add.event())
                                        .thenRun(s -> add.replyTo().tell(lastSequenceNumber(ctx))))
                                .onCommand(Get.class, (state, get) -> Effect().none()
                                        .thenRun(s -> get.replyTo().tell(s)))
                                .build();
                    }

                    @Override
                    public EventHandler<Log, String> eventHandler() {
                        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
                            List<String> events = new ArrayList<>(state.events());
                            events.add(event);
                            return new Log(events);
                        });
                    }

                    @Override
                    public boolean shouldSnapshot(Log state, String event, long sequenceNr) {
                        return sequenceNr % every == 0;
                    }
                });
    }
}
