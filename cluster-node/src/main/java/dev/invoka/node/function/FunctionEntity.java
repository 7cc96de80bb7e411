package dev.invoka.node.function;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.invoka.node.CborSerializable;
import dev.invoka.node.function.AsyncQueue.Outcome;
import dev.invoka.node.function.AsyncQueue.Pending;
import dev.invoka.node.runtime.InvocationResult;
import dev.invoka.protocol.UpdateFunctionConfigurationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One function: the only writer of its configuration, reserved concurrency, event invoke configs and
 * asynchronous events, and the owner of its concurrency slots and retry timers. Sharded by function
 * name (one account), event sourced.
 *
 * <p>Who sends what: the API (through {@code ShardedFunctions}) sends the management commands,
 * {@link InvokeSync} and {@link Enqueue}; each attempt runs in an {@link Invocation} child, which reports
 * {@link AttemptFinished}; the {@link AsyncDriver} sends the entity its own timer and delivery messages.
 *
 * <p>Guarantees: an {@link Enqueue} is answered {@link Accepted} only after {@link FunctionEvent.EventAccepted}
 * is journaled; every retry, outcome and record delivery is journaled before it is acted on, so after a
 * crash the recovered entity re-runs what was in flight (at least once), re-arms retries at their
 * persisted due times and re-sends undelivered records. Slots (running attempts, sync and async) are not
 * journaled and are empty after recovery.
 */
public final class FunctionEntity
        extends EventSourcedBehaviorWithEnforcedReplies<FunctionEntity.Command, FunctionEvent, EntityState> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Function");

    /** Throttle reason when the reserved concurrency is used up (AWS's wording). */
    public static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";

    public interface Command extends CborSerializable {}

    public record Create(FunctionConfig config, ActorRef<Reply> replyTo) implements Command {}

    public record Get(ActorRef<Reply> replyTo) implements Command {}

    public record Update(UpdateFunctionConfigurationRequest change, ActorRef<Reply> replyTo) implements Command {}

    public record Delete(ActorRef<Reply> replyTo) implements Command {}

    public record PutConcurrency(int reservedConcurrentExecutions, ActorRef<Reply> replyTo) implements Command {}

    public record DeleteConcurrency(ActorRef<Reply> replyTo) implements Command {}

    /** Put (replace) or, with {@code merge}, update the event invoke config of {@code config.qualifier()}. */
    public record PutInvokeConfig(EventInvokeConfig config, boolean merge, boolean onSuccessGiven,
                                  boolean onFailureGiven, ActorRef<Reply> replyTo) implements Command {}

    public record DeleteInvokeConfig(String qualifier, ActorRef<Reply> replyTo) implements Command {}

    /** Run the function now and answer with its result; the caller waits (RequestResponse). */
    public record InvokeSync(String requestId, String invokedFunctionArn, byte[] payload, ActorRef<Reply> replyTo)
            implements Command {}

    /** Accept an event for asynchronous invocation; answered once it is durable. */
    public record Enqueue(String requestId, String qualifier, String invokedFunctionArn, byte[] payload, int hops,
                          ActorRef<Reply> replyTo) implements Command {}

    /** The queue's figures, for {@code /_invoka/functions/{name}/queue}. */
    public record GetQueue(ActorRef<Reply> replyTo) implements Command {}

    /** One invocation's status, for {@code /_invoka/invocations/{requestId}}. */
    public record GetStatus(String requestId, ActorRef<Reply> replyTo) implements Command {}

    /**
     * Beyond AWS: run again the failed events this function still remembers, each under a new request id
     * that links the old one. Filters are optional: the condition, a window on when they failed, how many.
     */
    public record Redrive(String condition, Long sinceMs, Long untilMs, int max, ActorRef<Reply> replyTo)
            implements Command {}

    record RedriveLoaded(List<AsyncQueue.Finished> events, List<byte[]> payloads, String failure,
                         ActorRef<Reply> replyTo) implements Command {}

    /** Beyond AWS: the records and dead letters this function gave up delivering, with their bodies. */
    public record GetUndeliverable(ActorRef<Reply> replyTo) implements Command {}

    /** From an {@link Invocation} child: its one attempt is over. */
    public record AttemptFinished(String requestId, InvocationResult result) implements Command {}

    /** From the watch on an {@link Invocation} child. */
    record InvocationStopped(String requestId, ActorRef<Invocation.Command> child) implements Command {}

    /** Journal the buffered accepts as one write (see {@link #onEnqueue}). */
    enum FlushAccepts implements Command { INSTANCE }

    /** Something may be due: dispatch, expire, deliver. */
    enum Wake implements Command { INSTANCE }

    /** Discard what expired or cannot run (reserved concurrency 0). */
    enum Sweep implements Command { INSTANCE }

    record PayloadLoaded(String requestId, byte[] payload, String failure) implements Command {}

    record DeliveryFinished(String requestId, FunctionEvent.Target target, String failure, boolean permanent)
            implements Command {}

    record RetryDelivery(String requestId, FunctionEvent.Target target) implements Command {}

    enum Idle implements Command { INSTANCE }

    /**
     * The shard's stop message, on hand-off to another node (rolling restart, rebalance) and on passivation:
     * the entity starts nothing new and stops once its running attempts reported (see {@link AsyncDriver#handOff}).
     */
    public enum HandOff implements Command { INSTANCE }

    /** The wait for running attempts on hand-off is over: stop anyway. */
    enum HandOffDeadline implements Command { INSTANCE }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Found.class, name = "found"),
            @JsonSubTypes.Type(value = NotFound.class, name = "not-found"),
            @JsonSubTypes.Type(value = AlreadyExists.class, name = "exists"),
            @JsonSubTypes.Type(value = Throttled.class, name = "throttled"),
            @JsonSubTypes.Type(value = Invoked.class, name = "invoked"),
            @JsonSubTypes.Type(value = Accepted.class, name = "accepted"),
            @JsonSubTypes.Type(value = NoInvokeConfig.class, name = "no-invoke-config"),
            @JsonSubTypes.Type(value = QueueView.class, name = "queue"),
            @JsonSubTypes.Type(value = StatusView.class, name = "status"),
            @JsonSubTypes.Type(value = Redriven.class, name = "redriven"),
            @JsonSubTypes.Type(value = Failed.class, name = "failed"),
            @JsonSubTypes.Type(value = Undeliverable.class, name = "undeliverable")
    })
    public sealed interface Reply extends CborSerializable {}

    /** The function as it is after the command (Delete: as it was). */
    public record Found(FunctionState state) implements Reply {}

    public record NotFound() implements Reply {}

    public record AlreadyExists() implements Reply {}

    public record NoInvokeConfig() implements Reply {}

    public record Throttled(String reason) implements Reply {}

    public record Invoked(String executedVersion, InvocationResult result) implements Reply {}

    public record Accepted(String requestId) implements Reply {}

    /** The events a redrive enqueued again: old request id to new. */
    public record Redriven(List<RedrivenEvent> events) implements Reply {}

    public record RedrivenEvent(String requestId, String newRequestId) {}

    /** What was given up: for a destination the record, for a dead-letter queue the event (UTF-8). */
    public record Undeliverable(List<UndeliverableEntry> entries) implements Reply {}

    public record UndeliverableEntry(String requestId, String target, String to, String reason, long abandonedAtMs,
                                     String condition, String body) {}

    /** The command could not be carried out (not the caller's fault). */
    public record Failed(String message) implements Reply {}

    public record QueueView(String function, int depth, int inFlight, int scheduledRetries, long oldestAgeMs,
                            int undeliveredRecords, Integer reservedConcurrency) implements Reply {}

    public record StatusView(String requestId, String function, String status, String condition, int attempts,
                             long acceptedAtMs, Long nextAttemptAtMs, Long finishedAtMs, String destination,
                             String delivery, String deadLetter, String deadLetterDelivery, String redriveOf,
                             String redrivenAs) implements Reply {}

    private final String name;
    private final AsyncDriver driver;
    private final org.slf4j.Logger log;
    /** When this incarnation started, and how long restoring its snapshot took: logged once recovered. */
    private final long startedNanos = System.nanoTime();
    private long snapshotNanos;

    /**
     * @param shard the entity's shard, asked to passivate the entity when it is idle (null outside sharding:
     *              the entity then just stops)
     */
    public static Behavior<Command> create(String name, FunctionDeps deps,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new FunctionEntity(ctx, timers, name, deps, shard)));
    }

    private FunctionEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, FunctionDeps deps,
                           ActorRef<ClusterSharding.ShardCommand> shard) {
        super(PersistenceId.of(TYPE_KEY.name(), name));
        this.name = name;
        this.driver = new AsyncDriver(ctx, timers, name, persistenceId().id(), deps, shard);
        this.log = ctx.getLog();
    }

    @Override
    public EntityState emptyState() {
        return new EntityState(FunctionState.EMPTY, driver.newQueue(), 0);
    }

    @Override
    public boolean shouldSnapshot(EntityState state, FunctionEvent event, long sequenceNr) {
        return state.shouldSnapshot(driver.snapshotEvery(), driver.snapshotMaxQueue());
    }

    @Override
    public SnapshotAdapter<EntityState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(EntityState state) {
                return state.snapshot();
            }

            @Override
            public EntityState fromJournal(Object from) {
                long start = System.nanoTime();
                EntityState restored = EntityState.restore((EntitySnapshot) from, driver.newQueue());
                snapshotNanos = System.nanoTime() - start;
                return restored;
            }
        };
    }

    @Override
    public Set<String> tagsFor(FunctionEvent event) {
        return event instanceof FunctionEvent.Management ? Set.of(FunctionEvent.INDEX_TAG) : Set.of();
    }

    @Override
    public EventHandler<EntityState, FunctionEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(EntityState::apply);
    }

    @Override
    public SignalHandler<EntityState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            logRecovery(state);
            driver.afterChange(state);
        }).build();
    }

    /** A recovery of a second or more is logged at INFO (a deep queue), others at DEBUG. */
    private void logRecovery(EntityState state) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        if (millis < 1_000 && !log.isDebugEnabled()) return;
        String text = "function {}: recovered in {} ms, {} queued; snapshot at event {} restored in {} ms, {} events replayed";
        Object[] args = {name, millis, state.async().depth(), state.snapshotSeqNr(), snapshotNanos / 1_000_000,
                state.seqNr() - state.snapshotSeqNr()};
        if (millis >= 1_000) log.info(text, args);
        else log.debug(text, args);
    }

    @Override
    public CommandHandlerWithReply<Command, FunctionEvent, EntityState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
                .onCommand(Update.class, this::onUpdate)
                .onCommand(Delete.class, this::onDelete)
                .onCommand(PutConcurrency.class, (state, cmd) -> manage(state,
                        new FunctionEvent.ConcurrencyPut(cmd.reservedConcurrentExecutions()), cmd.replyTo()))
                .onCommand(DeleteConcurrency.class, (state, cmd) -> manage(state,
                        new FunctionEvent.ConcurrencyDeleted(name), cmd.replyTo()))
                .onCommand(PutInvokeConfig.class, this::onPutInvokeConfig)
                .onCommand(DeleteInvokeConfig.class, this::onDeleteInvokeConfig)
                .onCommand(InvokeSync.class, this::onInvokeSync)
                .onCommand(Enqueue.class, this::onEnqueue)
                .onCommand(FlushAccepts.class, this::onFlushAccepts)
                .onCommand(GetQueue.class, (state, cmd) -> Effect().reply(cmd.replyTo(), driver.queueView(state)))
                .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        driver.status(state, cmd.requestId())))
                .onCommand(GetUndeliverable.class, (state, cmd) -> {
                    driver.undeliverable(state, cmd.replyTo());
                    return Effect().noReply();
                })
                .onCommand(Redrive.class, this::onRedrive)
                .onCommand(RedriveLoaded.class, this::onRedriveLoaded)
                .onCommand(AttemptFinished.class, this::onAttemptFinished)
                .onCommand(InvocationStopped.class, this::onInvocationStopped)
                .onCommand(PayloadLoaded.class, this::onPayloadLoaded)
                .onCommand(Wake.class, (state, msg) -> Effect().none().thenRun(driver::woke).thenNoReply())
                .onCommand(Sweep.class, this::onSweep)
                .onCommand(DeliveryFinished.class, this::onDeliveryFinished)
                .onCommand(RetryDelivery.class, (state, msg) -> {
                    driver.deliveryRetryDue(msg.requestId(), msg.target());
                    return Effect().none().thenRun(driver::afterChange).thenNoReply();
                })
                .onCommand(HandOff.class, (state, msg) ->
                        driver.handOff() ? Effect().stop().thenNoReply() : Effect().noReply())
                .onCommand(HandOffDeadline.class, (state, msg) -> Effect().stop().thenNoReply())
                .onCommand(Idle.class, (state, msg) -> {
                    driver.passivateIfIdle(state);
                    return Effect().noReply();
                })
                .build();
    }

    private ReplyEffect<FunctionEvent, EntityState> onCreate(EntityState state, Create cmd) {
        if (state.function().exists()) return Effect().reply(cmd.replyTo(), new AlreadyExists());
        return persistAndReply(new FunctionEvent.FunctionCreated(cmd.config()), cmd.replyTo());
    }

    private ReplyEffect<FunctionEvent, EntityState> onUpdate(EntityState state, Update cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        FunctionConfig updated = state.function().config().updatedWith(cmd.change(), driver.now());
        return persistAndReply(new FunctionEvent.ConfigurationUpdated(updated), cmd.replyTo());
    }

    private ReplyEffect<FunctionEvent, EntityState> onDelete(EntityState state, Delete cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        FunctionState before = state.function();
        // The reply shows the function as it was: after the event there is nothing to show.
        return Effect().persist(new FunctionEvent.FunctionDeleted(name))
                .thenRun(driver::afterManagementChange)
                .thenReply(cmd.replyTo(), deleted -> new Found(before));
    }

    private ReplyEffect<FunctionEvent, EntityState> manage(EntityState state, FunctionEvent.Management event,
                                                           ActorRef<Reply> replyTo) {
        if (!state.function().exists()) return Effect().reply(replyTo, new NotFound());
        return persistAndReply(event, replyTo);
    }

    private ReplyEffect<FunctionEvent, EntityState> onPutInvokeConfig(EntityState state, PutInvokeConfig cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        EventInvokeConfig config = cmd.config();
        if (cmd.merge()) {
            EventInvokeConfig existing = state.function().invokeConfig(config.qualifier());
            if (existing == null) return Effect().reply(cmd.replyTo(), new NoInvokeConfig());
            config = existing.mergedWith(config, cmd.onSuccessGiven(), cmd.onFailureGiven());
        }
        return persistAndReply(new FunctionEvent.EventInvokeConfigPut(config), cmd.replyTo());
    }

    private ReplyEffect<FunctionEvent, EntityState> onDeleteInvokeConfig(EntityState state, DeleteInvokeConfig cmd) {
        if (!state.function().exists() || state.function().invokeConfig(cmd.qualifier()) == null) {
            return Effect().reply(cmd.replyTo(), new NoInvokeConfig());
        }
        return persistAndReply(new FunctionEvent.EventInvokeConfigDeleted(cmd.qualifier()), cmd.replyTo());
    }

    private ReplyEffect<FunctionEvent, EntityState> persistAndReply(FunctionEvent.Management event,
                                                                    ActorRef<Reply> replyTo) {
        return Effect().persist(event)
                .thenRun(driver::afterManagementChange)
                .thenReply(replyTo, FunctionEntity::view);
    }

    private static Reply view(EntityState state) {
        return state.function().exists() ? new Found(state.function()) : new NotFound();
    }

    private ReplyEffect<FunctionEvent, EntityState> onInvokeSync(EntityState state, InvokeSync cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        if (!driver.hasFreeSlot(state.function())) {
            driver.throttled();
            return Effect().reply(cmd.replyTo(), new Throttled(RESERVED_LIMIT));
        }
        return Effect().none().thenRun(s -> driver.startSync(s, cmd)).thenNoReply();
    }

    /**
     * Accepts are grouped per function: an Enqueue joins a buffer and the first one of a group sends
     * {@link FlushAccepts}, which the mailbox delivers after every Enqueue already waiting (including those
     * Pekko held back during the previous write). One journal write then carries the whole group, and each
     * caller gets its answer only after it.
     */
    private ReplyEffect<FunctionEvent, EntityState> onEnqueue(EntityState state, Enqueue cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        if (state.async().pending(cmd.requestId()) != null) {
            return Effect().reply(cmd.replyTo(), new Accepted(cmd.requestId()));
        }
        driver.buffer(cmd);
        return Effect().noReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onFlushAccepts(EntityState state, FlushAccepts msg) {
        List<Enqueue> group = driver.takeBuffered();
        if (group.isEmpty()) return Effect().noReply();
        if (!state.function().exists()) {
            group.forEach(cmd -> cmd.replyTo().tell(new NotFound()));
            return Effect().noReply();
        }
        long now = driver.now();
        List<FunctionEvent> events = new ArrayList<>(group.size());
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Enqueue cmd : group) {
            if (ids.add(cmd.requestId()) && state.async().pending(cmd.requestId()) == null) {
                events.add(new FunctionEvent.EventAccepted(cmd.requestId(), cmd.qualifier(), cmd.invokedFunctionArn(),
                        cmd.payload(), now, cmd.hops(), null));
            }
        }
        return Effect().persist(events).thenRun(s -> {
            group.forEach(cmd -> cmd.replyTo().tell(new Accepted(cmd.requestId())));
            driver.accepted(s, ids);
        }).thenNoReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onRedrive(EntityState state, Redrive cmd) {
        if (!state.function().exists()) return Effect().reply(cmd.replyTo(), new NotFound());
        List<AsyncQueue.Finished> matches = driver.redrivable(state, cmd);
        if (matches.isEmpty()) return Effect().reply(cmd.replyTo(), new Redriven(List.of()));
        driver.loadForRedrive(matches, cmd.replyTo());
        return Effect().noReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onRedriveLoaded(EntityState state, RedriveLoaded msg) {
        if (msg.failure() != null) {
            return Effect().reply(msg.replyTo(), new Failed("reading the events from the journal failed: " + msg.failure()));
        }
        List<FunctionEvent> events = new ArrayList<>();
        List<RedrivenEvent> redriven = new ArrayList<>();
        long now = driver.now();
        for (int i = 0; i < msg.events().size(); i++) {
            AsyncQueue.Finished f = msg.events().get(i);
            AsyncQueue.Finished current = state.async().recent(f.requestId());
            if (current != null && current.redrivenAs() != null) continue;
            String newId = UUID.randomUUID().toString();
            events.add(new FunctionEvent.EventAccepted(newId, f.qualifier(), f.invokedArn(), msg.payloads().get(i), now,
                    0, f.requestId()));
            redriven.add(new RedrivenEvent(f.requestId(), newId));
        }
        if (events.isEmpty()) return Effect().reply(msg.replyTo(), new Redriven(List.of()));
        return Effect().persist(events).thenRun(driver::afterChange)
                .thenReply(msg.replyTo(), s -> new Redriven(redriven));
    }

    private ReplyEffect<FunctionEvent, EntityState> onAttemptFinished(EntityState state, AttemptFinished msg) {
        return afterAttempt(state, driver.finish(msg.requestId()), msg);
    }

    private ReplyEffect<FunctionEvent, EntityState> onInvocationStopped(EntityState state, InvocationStopped msg) {
        return afterAttempt(state, driver.stopped(msg.requestId(), msg.child()), new AttemptFinished(msg.requestId(),
                new InvocationResult.SystemError("the attempt stopped without a result")));
    }

    private ReplyEffect<FunctionEvent, EntityState> afterAttempt(EntityState state, AsyncDriver.Running run,
                                                                 AttemptFinished msg) {
        if (run == null) return Effect().noReply();
        if (run.replyTo() != null) {
            driver.syncFinished(msg.result());
            return Effect().none().thenRun(driver::afterChange).thenReply(run.replyTo(),
                    s -> new Invoked("$LATEST", msg.result()));
        }
        Pending pending = state.async().pending(msg.requestId());
        if (pending == null) return Effect().none().thenRun(driver::afterChange).thenNoReply();
        return Effect().persist(driver.decide(state.function(), pending, msg.result()))
                .thenRun(driver::afterChange).thenNoReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onPayloadLoaded(EntityState state, PayloadLoaded msg) {
        if (msg.failure() != null) {
            return onAttemptFinished(state, new AttemptFinished(msg.requestId(),
                    new InvocationResult.SystemError("reading the payload from the journal failed: " + msg.failure())));
        }
        driver.payloadLoaded(state, msg.requestId(), msg.payload());
        return Effect().noReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onSweep(EntityState state, Sweep msg) {
        var discards = driver.sweep(state);
        if (discards.isEmpty()) return Effect().none().thenRun(driver::afterChange).thenNoReply();
        return Effect().persist(discards).thenRun(driver::afterChange).thenNoReply();
    }

    private ReplyEffect<FunctionEvent, EntityState> onDeliveryFinished(EntityState state, DeliveryFinished msg) {
        Outcome outcome = state.async().undelivered(msg.requestId());
        FunctionEvent event = driver.deliveryFinished(outcome, msg);
        if (event == null) return Effect().none().thenRun(driver::afterChange).thenNoReply();
        return Effect().persist(event).thenRun(driver::afterChange).thenNoReply();
    }

}
