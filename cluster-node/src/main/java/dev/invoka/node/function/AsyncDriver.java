package dev.invoka.node.function;

import dev.invoka.node.Settings;
import dev.invoka.node.destination.Delivery;
import dev.invoka.node.destination.DeliveryException;
import dev.invoka.node.function.AsyncQueue.Finished;
import dev.invoka.node.function.AsyncQueue.Outcome;
import dev.invoka.node.function.AsyncQueue.Pending;
import dev.invoka.node.lifecycle.AsyncPolicy;
import dev.invoka.node.lifecycle.Condition;
import dev.invoka.node.lifecycle.Decision;
import dev.invoka.node.lifecycle.Lifecycle;
import dev.invoka.node.runtime.ErrorPayloads;
import dev.invoka.node.runtime.FunctionRuntime;
import dev.invoka.node.runtime.InvocationRequest;
import dev.invoka.node.runtime.InvocationResult;
import dev.invoka.protocol.InvocationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The side of a {@link FunctionEntity} that is not journaled: its slots (running attempts), its timers,
 * the records it is delivering, and the decisions that turn an attempt's result into the next journal
 * event. It lives exactly as long as its entity's incarnation and is touched only from the entity's
 * thread.
 *
 * <p>Dispatch ({@link #afterChange}) runs after every change: events that are due start while slots are
 * free (earliest due first); events that cannot run (reserved concurrency 0) or that expired while
 * waiting for a slot are handed to a {@link FunctionEntity.Sweep}; one timer wakes the entity at the next
 * due time or expiry; undelivered records are sent.
 *
 * <p>An event waiting for a slot is not put on a blind backoff: it waits in due order and starts as soon
 * as a slot frees, bounded by its maximum age. Backoff (1 s doubling to 5 min, or Retry-After) applies to
 * throttles and system errors reported by an attempt.
 */
final class AsyncDriver {

    /**
     * A running attempt; {@code replyTo} is the waiting caller of a sync invoke, null for async;
     * {@code child} the attempt's actor once spawned (an event is run again only after its previous
     * attempt reported, so its previous child may still be stopping).
     */
    record Running(ActorRef<FunctionEntity.Reply> replyTo, ActorRef<Invocation.Command> child) {}

    private final ActorContext<FunctionEntity.Command> ctx;
    private final TimerScheduler<FunctionEntity.Command> timers;
    private final String name;
    private final String persistenceId;
    private final FunctionDeps deps;
    private final Settings.Async settings;
    private final Map<String, Running> running = new HashMap<>();
    private final Set<String> delivering = new HashSet<>();
    private final Map<String, Integer> deliveryTries = new HashMap<>();
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private boolean sweepRequested;
    private long wakeAt = Long.MAX_VALUE;
    private Set<String> justAccepted = Set.of();
    private long justAcceptedNanos;
    private List<FunctionEntity.Enqueue> accepts = new ArrayList<>();
    static final int MAX_GROUP = 1000;
    private boolean idleArmed;
    private boolean handingOff;

    AsyncDriver(ActorContext<FunctionEntity.Command> ctx, TimerScheduler<FunctionEntity.Command> timers, String name,
                String persistenceId, FunctionDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
        this.shard = shard;
        this.ctx = ctx;
        this.timers = timers;
        this.name = name;
        this.persistenceId = persistenceId;
        this.deps = deps;
        this.settings = deps.settings().async();
    }

    AsyncQueue newQueue() {
        return new AsyncQueue(settings.payloadBudgetBytes(), settings.recentOutcomes());
    }

    long snapshotEvery() {
        return settings.snapshotEvery();
    }

    long snapshotMaxQueue() {
        return settings.snapshotMaxQueue();
    }

    long now() {
        return deps.clock().millis();
    }

    void afterManagementChange(EntityState state) {
        deps.index().tell(new FunctionIndex.Changed(name, state.function(), state.seqNr()));
        afterChange(state);
    }

    /** After an accept is journaled: its 202 is on its way; dispatch may start it at once. */
    void accepted(EntityState state, Set<String> requestIds) {
        for (int i = 0; i < requestIds.size(); i++) deps.metrics().asyncEventReceived(name);
        justAccepted = requestIds;
        justAcceptedNanos = System.nanoTime();
        afterChange(state);
        justAccepted = Set.of();
        if (!accepts.isEmpty()) ctx.getSelf().tell(FunctionEntity.FlushAccepts.INSTANCE);
    }

    /** Holds an Enqueue until the next group write; the first of a group schedules the write. */
    void buffer(FunctionEntity.Enqueue cmd) {
        if (accepts.isEmpty()) ctx.getSelf().tell(FunctionEntity.FlushAccepts.INSTANCE);
        accepts.add(cmd);
    }

    /** The next group: at most {@code MAX_GROUP} accepts (the rest wait for the next write). */
    List<FunctionEntity.Enqueue> takeBuffered() {
        if (accepts.size() <= MAX_GROUP) {
            List<FunctionEntity.Enqueue> group = accepts;
            accepts = new ArrayList<>();
            return group;
        }
        List<FunctionEntity.Enqueue> group = new ArrayList<>(accepts.subList(0, MAX_GROUP));
        accepts = new ArrayList<>(accepts.subList(MAX_GROUP, accepts.size()));
        return group;
    }

    void throttled() {
        deps.metrics().throttle(name);
    }

    int slotLimit(FunctionState function) {
        Integer reserved = function.reservedConcurrency();
        return reserved != null ? reserved : deps.settings().accountConcurrency();
    }

    boolean hasFreeSlot(FunctionState function) {
        return running.size() < slotLimit(function);
    }

    /** Starts what is due, arms the next wake-up, sends undelivered records. */
    void afterChange(EntityState state) {
        long now = now();
        FunctionState function = state.function();
        AsyncQueue queue = state.async();
        long nextWake = Long.MAX_VALUE;
        if (function.exists() && !handingOff) {
            int limit = slotLimit(function);
            for (Pending p : queue.dueOrder()) {
                if (p.dueAtMs() > now) {
                    nextWake = Math.min(nextWake, p.dueAtMs());
                    break;
                }
                if (running.containsKey(p.requestId())) continue;
                if (limit == 0 || Lifecycle.expired(p.acceptedAtMs(), now, policy(function, p.qualifier()))) {
                    requestSweep();
                    break;
                }
                if (running.size() >= limit) {
                    nextWake = Math.min(nextWake, oldestWaitingExpiry(function, queue));
                    break;
                }
                startAsync(function, p, now);
            }
        }
        armWake(nextWake, now);
        if (handingOff) {
            if (handedOver()) ctx.getSelf().tell(FunctionEntity.HandOff.INSTANCE);
            return;
        }
        deliverRecords(state);
        if (function.exists() || !queue.isEmpty()) {
            deps.metrics().queueDepth(name, queue.depth());
            deps.metrics().concurrentExecutions(name, running.size());
        }
        if (queue.isEmpty() && running.isEmpty()) {
            // A name that names no function (a 404, or a deleted one) leaves memory at once.
            timers.startSingleTimer("idle", FunctionEntity.Idle.INSTANCE,
                    function.exists() ? settings.idlePassivation() : Duration.ofMillis(1));
            idleArmed = true;
        } else if (idleArmed) {
            timers.cancel("idle");
            idleArmed = false;
        }
    }

    /** The wake-up timer fired: it is no longer armed. */
    void woke(EntityState state) {
        wakeAt = Long.MAX_VALUE;
        afterChange(state);
    }

    /** One timer for the next due time or expiry; left alone when that time has not changed. */
    private void armWake(long at, long now) {
        if (at == wakeAt && (at == Long.MAX_VALUE || at > now)) return;
        wakeAt = at;
        if (at == Long.MAX_VALUE) timers.cancel("wake");
        else timers.startSingleTimer("wake", FunctionEntity.Wake.INSTANCE, Duration.ofMillis(Math.max(1, at - now)));
    }

    private long oldestWaitingExpiry(FunctionState function, AsyncQueue queue) {
        for (Pending p : queue.acceptanceOrder()) {
            if (!running.containsKey(p.requestId())) {
                return Lifecycle.expiresAtMs(p.acceptedAtMs(), policy(function, p.qualifier()));
            }
        }
        return Long.MAX_VALUE;
    }

    private void requestSweep() {
        if (!sweepRequested) {
            sweepRequested = true;
            ctx.getSelf().tell(FunctionEntity.Sweep.INSTANCE);
        }
    }

    AsyncPolicy policy(FunctionState function, String qualifier) {
        EventInvokeConfig config = function.invokeConfig(qualifier);
        return config == null ? AsyncPolicy.of(null, null, deps.settings().timeScale())
                : config.policy(deps.settings().timeScale());
    }

    /** Discards of events that cannot run (reserved concurrency 0) or expired while waiting, oldest first. */
    List<FunctionEvent> sweep(EntityState state) {
        sweepRequested = false;
        long now = now();
        FunctionState function = state.function();
        List<FunctionEvent> discards = new ArrayList<>();
        if (!function.exists()) return discards;
        boolean zero = slotLimit(function) == 0;
        for (Pending p : state.async().dueOrder()) {
            if (p.dueAtMs() > now || discards.size() >= settings.sweepBatch()) break;
            if (running.containsKey(p.requestId())) continue;
            Condition condition = zero ? Condition.ZeroReservedConcurrency
                    : Lifecycle.expired(p.acceptedAtMs(), now, policy(function, p.qualifier())) ? Condition.EventAgeExceeded
                    : null;
            if (condition != null) discards.add(finished(function, p, condition, p.attempts(), p.lastError(), now));
        }
        if (discards.size() >= settings.sweepBatch()) requestSweep();
        return discards;
    }

    private FunctionEvent.InvocationFinished finished(FunctionState function, Pending p, Condition condition,
                                                      int attempts, byte[] response, long now) {
        if (condition.isFailure()) deps.metrics().asyncEventDropped(name);
        EventInvokeConfig config = function.invokeConfig(p.qualifier());
        String destination = config == null ? null : config.destinationFor(condition);
        String deadLetter = condition.isFailure() ? function.config().deadLetterTargetArn() : null;
        return new FunctionEvent.InvocationFinished(p.requestId(), condition, attempts, response, now, destination,
                deadLetter);
    }

    private void startAsync(FunctionState function, Pending p, long now) {
        running.put(p.requestId(), new Running(null, null));
        if (p.payload() != null) {
            Runnable onStart = () -> {};
            if (justAccepted.contains(p.requestId())) {
                long since = justAcceptedNanos;
                onStart = () -> deps.metrics().dispatchDelay(name, System.nanoTime() - since);
            }
            spawn(function.config(), p.requestId(), p.invokedArn(), p.payload(), now - p.acceptedAtMs(), onStart);
        } else {
            ctx.pipeToSelf(deps.payloads().load(persistenceId, p.payloadSeqNr()), (bytes, failure) ->
                    new FunctionEntity.PayloadLoaded(p.requestId(), bytes, failure == null ? null : failure.toString()));
        }
    }

    void payloadLoaded(EntityState state, String requestId, byte[] payload) {
        Pending p = state.async().pending(requestId);
        if (p == null || !state.function().exists() || !running.containsKey(requestId)) {
            running.remove(requestId);
            afterChange(state);
            return;
        }
        spawn(state.function().config(), requestId, p.invokedArn(), payload, now() - p.acceptedAtMs(), () -> {});
    }

    void startSync(EntityState state, FunctionEntity.InvokeSync cmd) {
        running.put(cmd.requestId(), new Running(cmd.replyTo(), null));
        spawn(state.function().config(), cmd.requestId(), cmd.invokedFunctionArn(), cmd.payload(), -1, () -> {});
        deps.metrics().concurrentExecutions(name, running.size());
    }

    /** Spawns the attempt's child; the configuration is resolved now, at execution time (AWS-recorded). */
    private void spawn(FunctionConfig config, String requestId, String invokedArn, byte[] payload, long eventAgeMs,
                       Runnable onStart) {
        Optional<FunctionRuntime> runtime = deps.runtimes().forName(config.runtime());
        if (runtime.isEmpty()) {
            ctx.getSelf().tell(new FunctionEntity.AttemptFinished(requestId,
                    new InvocationResult.SystemError("no runtime named " + config.runtime() + " on this node")));
            return;
        }
        if (eventAgeMs >= 0) deps.metrics().asyncEventAge(name, eventAgeMs);
        long now = now();
        InvocationRequest request = new InvocationRequest(requestId, invokedArn, config.name(), "$LATEST",
                config.handler(), config.timeout(), config.memorySize(), config.environment(), payload,
                now + config.timeout() * 1000L);
        var child = ctx.spawnAnonymous(Invocation.create(request, runtime.get(), ctx.getSelf(), onStart));
        ctx.watchWith(child, new FunctionEntity.InvocationStopped(requestId, child));
        running.computeIfPresent(requestId, (id, r) -> new Running(r.replyTo(), child));
    }

    /**
     * A RequestResponse attempt's result in the metrics, counted as AWS counts it: a run of the function's
     * code (success or function error) is an invocation, a function error also an error, a throttle a throttle.
     */
    void syncFinished(InvocationResult result) {
        if (result instanceof InvocationResult.Success) {
            deps.metrics().invocation(name);
        } else if (result instanceof InvocationResult.FunctionError) {
            deps.metrics().invocation(name);
            deps.metrics().error(name);
        } else if (result instanceof InvocationResult.Throttled) {
            deps.metrics().throttle(name);
        }
    }

    /** Frees the attempt's slot; null when it was not running (a late or duplicate report). */
    Running finish(String requestId) {
        return running.remove(requestId);
    }

    /**
     * An attempt's actor stopped. Normally it reported first and this is nothing; if it is still the
     * running attempt of its event, it died without a result: that attempt is over.
     */
    Running stopped(String requestId, ActorRef<Invocation.Command> child) {
        Running r = running.get(requestId);
        return r != null && child.equals(r.child()) ? running.remove(requestId) : null;
    }

    /** The journal event that follows an async attempt's result (docs/lambda-spec.md §3.3). */
    FunctionEvent decide(FunctionState function, Pending p, InvocationResult result) {
        long now = now();
        AsyncPolicy policy = policy(function, p.qualifier());
        if (result instanceof InvocationResult.Success success) {
            deps.metrics().invocation(name);
            return finished(function, p, Condition.Success, p.attempts() + 1, success.payload(), now);
        }
        if (result instanceof InvocationResult.FunctionError error) {
            deps.metrics().invocation(name);
            deps.metrics().error(name);
            int attempts = p.attempts() + 1;
            Decision d = Lifecycle.afterFunctionError(attempts, p.acceptedAtMs(), now, policy);
            if (d instanceof Decision.Retry retry) {
                return new FunctionEvent.RetryScheduled(p.requestId(), attempts, p.throttles(), retry.dueAtMs(),
                        error.payload());
            }
            return finished(function, p, ((Decision.Discard) d).condition(), attempts, error.payload(), now);
        }
        long retryAfterMs = 0;
        if (result instanceof InvocationResult.Throttled throttled) {
            deps.metrics().throttle(name);
            if (throttled.retryAfter() != null) retryAfterMs = throttled.retryAfter().toMillis();
        }
        Decision d = Lifecycle.afterThrottle(p.throttles(), retryAfterMs, p.acceptedAtMs(), now, policy);
        if (d instanceof Decision.Retry retry) {
            return new FunctionEvent.RetryScheduled(p.requestId(), p.attempts(), p.throttles() + 1, retry.dueAtMs(), null);
        }
        return finished(function, p, ((Decision.Discard) d).condition(), p.attempts(), p.lastError(), now);
    }

    private void deliverRecords(EntityState state) {
        for (Outcome o : state.async().undelivered()) {
            for (FunctionEvent.Target target : FunctionEvent.Target.values()) {
                if (o.target(target) == null) continue;
                if (delivering.size() >= settings.maxConcurrentDeliveries()) return;
                String key = key(o.requestId(), target);
                if (delivering.contains(key)) continue;
                delivering.add(key);
                CompletionStage<Void> sent = requestPayload(o).thenCompose(request ->
                        deps.destinations().deliver(delivery(o, target, request)));
                ctx.pipeToSelf(sent, (ok, failure) -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    return new FunctionEntity.DeliveryFinished(o.requestId(), target,
                            cause == null ? null : String.valueOf(cause.getMessage()),
                            cause instanceof DeliveryException de && de.permanent());
                });
            }
        }
    }

    private static String key(String requestId, FunctionEvent.Target target) {
        return requestId + "|" + target;
    }

    private CompletionStage<byte[]> requestPayload(Outcome o) {
        return o.requestPayload() != null ? CompletableFuture.completedFuture(o.requestPayload())
                : deps.payloads().load(persistenceId, o.payloadSeqNr());
    }

    /** The record for a destination, or the untouched event for a dead-letter queue. */
    private Delivery delivery(Outcome o, FunctionEvent.Target target, byte[] request) {
        String arn = "arn:aws:lambda:" + deps.settings().region() + ":" + deps.settings().account() + ":function:"
                + name + ":" + o.qualifier();
        boolean success = o.condition() == Condition.Success;
        if (target == FunctionEvent.Target.DEAD_LETTER) {
            return new Delivery(o.deadLetter(), request, true, success, arn, o.requestId(),
                    ErrorPayloads.messageOf(o.response(), o.condition().name()), o.hops());
        }
        boolean ran = o.attempts() > 0 && o.response() != null;
        byte[] record = new InvocationRecord(o.requestId(), arn, o.condition().name(), o.attempts(),
                Instant.ofEpochMilli(o.finishedAtMs()), request, ran ? o.response() : null,
                o.condition().isFailure(), "$LATEST").toJson();
        return new Delivery(o.destination(), record, false, success, arn, o.requestId(), null, o.hops());
    }

    /** The journal event after a delivery try, or null when it will be tried again later. */
    FunctionEvent deliveryFinished(Outcome outcome, FunctionEntity.DeliveryFinished msg) {
        String key = key(msg.requestId(), msg.target());
        if (outcome == null || outcome.target(msg.target()) == null) {
            delivering.remove(key);
            return null;
        }
        if (msg.failure() == null) {
            delivering.remove(key);
            deliveryTries.remove(key);
            return new FunctionEvent.RecordDelivered(msg.requestId(), msg.target(), now());
        }
        if (msg.target() == FunctionEvent.Target.DEAD_LETTER) deps.metrics().deadLetterError(name);
        else deps.metrics().destinationDeliveryFailure(name);
        int tries = deliveryTries.merge(key, 1, Integer::sum);
        if (msg.permanent() || tries >= settings.deliveryMaxAttempts()) {
            ctx.getLog().warn("function {}: {} of {} abandoned after {} tries: {}", name, msg.target(), msg.requestId(),
                    tries, msg.failure());
            delivering.remove(key);
            deliveryTries.remove(key);
            return new FunctionEvent.RecordAbandoned(msg.requestId(), msg.target(), msg.failure(), now());
        }
        long backoff = Math.min(settings.deliveryBackoffMs() << Math.min(tries - 1, 20), settings.deliveryBackoffMaxMs());
        timers.startSingleTimer("deliver-" + key, new FunctionEntity.RetryDelivery(msg.requestId(), msg.target()),
                Duration.ofMillis(Math.max(1, deps.settings().scaled(backoff))));
        return null;
    }

    void deliveryRetryDue(String requestId, FunctionEvent.Target target) {
        delivering.remove(key(requestId, target));
    }

    /** Failed events this function remembers that match a redrive's filters and were not redriven yet. */
    List<Finished> redrivable(EntityState state, FunctionEntity.Redrive cmd) {
        List<Finished> matches = new ArrayList<>();
        for (Finished f : state.async().recent()) {
            if (matches.size() >= cmd.max()) break;
            if (!f.condition().isFailure() || f.redrivenAs() != null) continue;
            if (cmd.condition() != null && !cmd.condition().equals(f.condition().name())) continue;
            if (cmd.sinceMs() != null && f.finishedAtMs() < cmd.sinceMs()) continue;
            if (cmd.untilMs() != null && f.finishedAtMs() > cmd.untilMs()) continue;
            matches.add(f);
        }
        return matches;
    }

    /** Reads the matched events back from the journal, then tells the entity. */
    void loadForRedrive(List<Finished> matches, ActorRef<FunctionEntity.Reply> replyTo) {
        List<CompletableFuture<byte[]>> loads = new ArrayList<>();
        for (Finished f : matches) loads.add(deps.payloads().load(persistenceId, f.payloadSeqNr()).toCompletableFuture());
        ctx.pipeToSelf(CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)), (ok, failure) ->
                new FunctionEntity.RedriveLoaded(matches, failure == null ? loads.stream().map(CompletableFuture::join).toList()
                        : List.of(), failure == null ? null : String.valueOf(failure.getMessage()), replyTo));
    }

    /** Answers with the abandoned records and dead letters, their bodies rebuilt (payloads read back if needed). */
    void undeliverable(EntityState state, ActorRef<FunctionEntity.Reply> replyTo) {
        List<CompletableFuture<FunctionEntity.UndeliverableEntry>> entries = new ArrayList<>();
        for (AsyncQueue.Abandoned a : state.async().abandoned()) {
            Outcome o = a.outcome();
            entries.add(requestPayload(o).thenApply(request -> new FunctionEntity.UndeliverableEntry(o.requestId(),
                    a.target().name(), o.target(a.target()), a.reason(), a.atMs(), o.condition().name(),
                    new String(delivery(o, a.target(), request).body(), java.nio.charset.StandardCharsets.UTF_8)))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> replyTo.tell(
                failure == null ? new FunctionEntity.Undeliverable(entries.stream().map(CompletableFuture::join).toList())
                        : new FunctionEntity.Failed("reading the events from the journal failed: " + failure.getMessage())));
    }

    FunctionEntity.QueueView queueView(EntityState state) {
        long now = now();
        int scheduled = 0;
        long oldest = -1;
        for (Pending p : state.async().acceptanceOrder()) {
            if (oldest < 0) oldest = now - p.acceptedAtMs();
            if (p.dueAtMs() > now && !running.containsKey(p.requestId())) scheduled++;
        }
        int inFlightAsync = (int) running.values().stream().filter(r -> r.replyTo() == null).count();
        return new FunctionEntity.QueueView(name, state.async().depth(), inFlightAsync, scheduled, Math.max(0, oldest),
                state.async().undelivered().size(), state.function().reservedConcurrency());
    }

    FunctionEntity.Reply status(EntityState state, String requestId) {
        Pending p = state.async().pending(requestId);
        if (p != null) {
            String status = running.containsKey(requestId) ? "running"
                    : p.dueAtMs() > now() ? "retry-scheduled" : "queued";
            return new FunctionEntity.StatusView(requestId, name, status, null, p.attempts(), p.acceptedAtMs(),
                    p.dueAtMs(), null, null, null, null, null, p.redriveOf(), null);
        }
        Finished f = state.async().recent(requestId);
        if (f == null) return new FunctionEntity.NotFound();
        String status = f.condition() == Condition.Success ? "succeeded" : "failed";
        return new FunctionEntity.StatusView(requestId, name, status, f.condition().name(), f.attempts(),
                f.acceptedAtMs(), null, f.finishedAtMs(), f.destination(), f.delivery(), f.deadLetter(),
                f.deadLetterDelivery(), f.redriveOf(), f.redrivenAs());
    }

    /**
     * The shard's stop message (hand-off to another node, or passivation): from now on nothing new starts,
     * neither attempts nor deliveries. True when nothing runs any more and the entity may stop; else the
     * entity is told again once the last one finished, or after {@code handoff-wait}.
     */
    boolean handOff() {
        if (!handingOff) {
            handingOff = true;
            timers.cancel("wake");
            wakeAt = Long.MAX_VALUE;
            timers.startSingleTimer("handoff", FunctionEntity.HandOffDeadline.INSTANCE, settings.handoffWait());
        }
        return handedOver();
    }

    private boolean handedOver() {
        return running.isEmpty() && delivering.isEmpty() && accepts.isEmpty();
    }

    void passivateIfIdle(EntityState state) {
        if (!state.async().isEmpty() || !running.isEmpty()) return;
        if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        else ctx.stop(ctx.getSelf());
    }
}
