package dev.invoka.node.function;

import dev.invoka.node.lifecycle.Condition;
import java.util.Collection;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's asynchronous events, folded from its {@link FunctionEvent.Async} events: those waiting or
 * running ({@link Pending}), the outcomes whose records are not delivered yet ({@link Outcome}), and a
 * bounded memory of recent outcomes for the status endpoint.
 *
 * <p>Mutable on purpose: a backlog can hold a million events, and copying it per event would make every
 * accept O(backlog). It is changed only by the entity's event handler ({@link #apply}), during recovery
 * and after each persist, and read by the entity's command side; nothing else holds it.
 *
 * <p>Payload budget: payloads are kept in memory up to {@code payloadBudgetBytes} in all; beyond it an
 * accepted event keeps only its journal position ({@link Pending#payloadSeqNr()}) and the entity reads the
 * payload back from the journal when the event is due.
 */
public final class AsyncQueue {

    /** An accepted event that has no outcome yet. Immutable; replaced when it changes. */
    public record Pending(String requestId, String qualifier, String invokedArn, long acceptedAtMs, int hops,
                          int attempts, int throttles, long dueAtMs, long order, byte[] payload, long payloadSeqNr,
                          byte[] lastError, String redriveOf) {

        Pending rescheduled(FunctionEvent.RetryScheduled e, long newOrder) {
            return new Pending(requestId, qualifier, invokedArn, acceptedAtMs, hops, e.attempts(), e.throttles(),
                    e.dueAtMs(), newOrder, payload, payloadSeqNr, e.lastError() != null ? e.lastError() : lastError,
                    redriveOf);
        }
    }

    /**
     * A terminal outcome still to be sent: its record to {@code destination} and its event to
     * {@code deadLetter}; a target is null when there is nothing (more) to send there.
     */
    public record Outcome(String requestId, String qualifier, String invokedArn, Condition condition, int attempts,
                          long acceptedAtMs, long finishedAtMs, int hops, byte[] requestPayload, long payloadSeqNr,
                          byte[] response, String destination, String deadLetter) {

        public String target(FunctionEvent.Target target) {
            return target == FunctionEvent.Target.DESTINATION ? destination : deadLetter;
        }

        Outcome without(FunctionEvent.Target target) {
            return new Outcome(requestId, qualifier, invokedArn, condition, attempts, acceptedAtMs, finishedAtMs, hops,
                    requestPayload, payloadSeqNr, response,
                    target == FunctionEvent.Target.DESTINATION ? null : destination,
                    target == FunctionEvent.Target.DEAD_LETTER ? null : deadLetter);
        }
    }

    /**
     * What the function remembers of a finished event, for the status endpoint and redrive:
     * {@code delivery} and {@code deadLetterDelivery} are none, pending, delivered or "abandoned: reason";
     * the event itself stays in the journal at {@code payloadSeqNr}.
     */
    public record Finished(String requestId, Condition condition, int attempts, long acceptedAtMs, long finishedAtMs,
                           String destination, String delivery, String deadLetter, String deadLetterDelivery,
                           String qualifier, String invokedArn, long payloadSeqNr, String redriveOf,
                           String redrivenAs) {

        Finished with(FunctionEvent.Target target, String state) {
            boolean d = target == FunctionEvent.Target.DESTINATION;
            return new Finished(requestId, condition, attempts, acceptedAtMs, finishedAtMs, destination,
                    d ? state : delivery, deadLetter, d ? deadLetterDelivery : state, qualifier, invokedArn,
                    payloadSeqNr, redriveOf, redrivenAs);
        }

        Finished redrivenAs(String newRequestId) {
            return new Finished(requestId, condition, attempts, acceptedAtMs, finishedAtMs, destination, delivery,
                    deadLetter, deadLetterDelivery, qualifier, invokedArn, payloadSeqNr, redriveOf, newRequestId);
        }
    }

    /** A record or dead letter given up on: kept (bounded) so that it can still be read. */
    public record Abandoned(Outcome outcome, FunctionEvent.Target target, String reason, long atMs) {}

    /**
     * Due time, then the order of arrival. Written out rather than composed from {@code comparingLong}: each
     * accept compares with the last arrival, and iteration merges arrivals with the tree of retries, so the
     * composed comparator's calls through its key functions showed in profiles of the accept path.
     */
    private static final Comparator<Pending> DUE_ORDER = (a, b) -> {
        int byDue = Long.compare(a.dueAtMs(), b.dueAtMs());
        return byDue != 0 ? byDue : Long.compare(a.order(), b.order());
    };

    private Map<String, Pending> pending = new LinkedHashMap<>();
    private final DueOrder byDue = new DueOrder(DUE_ORDER, p -> pending.get(p.requestId()) == p);
    private final Map<String, Outcome> undelivered = new LinkedHashMap<>();
    private final Map<String, Finished> recent;
    private final Map<String, Abandoned> abandoned;
    private final long payloadBudgetBytes;
    private long payloadBytes;
    private long nextOrder;

    /** Qualifier and invoked ARN are the same few strings for a million events: one copy each. */
    private final Map<String, String> interned = new java.util.HashMap<>();

    public AsyncQueue(long payloadBudgetBytes, int recentOutcomes) {
        this.payloadBudgetBytes = payloadBudgetBytes;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
                return size() > recentOutcomes;
            }
        };
        this.abandoned = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Abandoned> eldest) {
                return size() > recentOutcomes;
            }
        };
    }

    /** Folds one event; {@code seqNr} is its journal sequence number. */
    public void apply(FunctionEvent.Async event, long seqNr) {
        if (event instanceof FunctionEvent.EventAccepted e) accepted(e, seqNr);
        else if (event instanceof FunctionEvent.RetryScheduled e) rescheduled(e);
        else if (event instanceof FunctionEvent.InvocationFinished e) finished(e);
        else if (event instanceof FunctionEvent.RecordDelivered e) sent(e.requestId(), e.target(), "delivered");
        else if (event instanceof FunctionEvent.RecordAbandoned e) abandoned(e);
    }

    private void accepted(FunctionEvent.EventAccepted e, long seqNr) {
        if (pending.containsKey(e.requestId())) return;
        byte[] payload = e.payload();
        if (payloadBytes + payload.length > payloadBudgetBytes) {
            payload = null;
        } else {
            payloadBytes += payload.length;
        }
        Pending p = new Pending(e.requestId(), intern(e.qualifier()), intern(e.invokedArn()), e.acceptedAtMs(), e.hops(),
                0, 0, e.acceptedAtMs(), nextOrder++, payload, seqNr, null, e.redriveOf());
        if (e.redriveOf() != null) recent.computeIfPresent(e.redriveOf(), (id, f) -> f.redrivenAs(e.requestId()));
        pending.put(p.requestId(), p);
        byDue.addArrival(p);
    }

    private String intern(String s) {
        if (interned.size() > 10_000) interned.clear();
        return interned.computeIfAbsent(s, k -> k);
    }

    private void rescheduled(FunctionEvent.RetryScheduled e) {
        Pending before = pending.get(e.requestId());
        if (before == null) return;
        Pending after = before.rescheduled(e, nextOrder++);
        pending.put(after.requestId(), after);
        byDue.remove(before);
        byDue.addOther(after);
    }

    private void finished(FunctionEvent.InvocationFinished e) {
        Pending p = remove(e.requestId());
        if (p == null) return;
        if (e.destination() != null || e.deadLetter() != null) {
            undelivered.put(p.requestId(), new Outcome(p.requestId(), p.qualifier(), p.invokedArn(), e.condition(),
                    e.attempts(), p.acceptedAtMs(), e.atMs(), p.hops(), p.payload(), p.payloadSeqNr(), e.response(),
                    e.destination(), e.deadLetter()));
        }
        recent.put(p.requestId(), new Finished(p.requestId(), e.condition(), e.attempts(), p.acceptedAtMs(), e.atMs(),
                e.destination(), e.destination() == null ? "none" : "pending",
                e.deadLetter(), e.deadLetter() == null ? "none" : "pending",
                p.qualifier(), p.invokedArn(), p.payloadSeqNr(), p.redriveOf(), null));
    }

    private void abandoned(FunctionEvent.RecordAbandoned e) {
        Outcome o = undelivered.get(e.requestId());
        if (o != null && o.target(e.target()) != null) {
            abandoned.put(e.requestId() + "|" + e.target(), new Abandoned(o, e.target(), e.reason(), e.atMs()));
        }
        sent(e.requestId(), e.target(), "abandoned: " + e.reason());
    }

    private void sent(String requestId, FunctionEvent.Target target, String state) {
        Outcome o = undelivered.get(requestId);
        if (o != null) {
            Outcome rest = o.without(target);
            if (rest.destination() == null && rest.deadLetter() == null) undelivered.remove(requestId);
            else undelivered.put(requestId, rest);
        }
        Finished f = recent.get(requestId);
        if (f != null) recent.put(requestId, f.with(target, state));
    }

    private Pending remove(String requestId) {
        Pending p = pending.remove(requestId);
        if (p != null) {
            byDue.remove(p);
            if (p.payload() != null) payloadBytes -= p.payload().length;
        }
        return p;
    }

    /** The function was deleted: what waits is dropped (AWS drops it silently); undelivered records stay. */
    public void dropPending() {
        for (String id : pending.keySet().toArray(String[]::new)) {
            remove(id);
        }
        byDue.clear();
    }

    public Pending pending(String requestId) {
        return pending.get(requestId);
    }

    public Finished recent(String requestId) {
        return recent.get(requestId);
    }

    /** Records and dead letters given up on, oldest first (at most invoka.async.recent-outcomes). */
    public Collection<Abandoned> abandoned() {
        return abandoned.values();
    }

    /** Finished events, oldest first (at most invoka.async.recent-outcomes of them). */
    public Collection<Finished> recent() {
        return recent.values();
    }

    public Outcome undelivered(String requestId) {
        return undelivered.get(requestId);
    }

    /** Waiting and running events, earliest due first (then in order of arrival). */
    public Iterable<Pending> dueOrder() {
        return byDue;
    }

    /** Waiting and running events, oldest accept first. */
    public Collection<Pending> acceptanceOrder() {
        return pending.values();
    }

    public Collection<Outcome> undelivered() {
        return undelivered.values();
    }

    public int depth() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty() && undelivered.isEmpty();
    }

    public long payloadBytesInMemory() {
        return payloadBytes;
    }

    /** The queue without payloads, for a snapshot: the waiting and running events packed in one array. */
    EntitySnapshot snapshot(FunctionState function, long seqNr) {
        List<String> arns = new ArrayList<>();
        Map<String, Integer> arnIndex = new java.util.HashMap<>();
        Pending[] last = new Pending[1];
        int[] lastIndex = new int[1];
        byte[] packed = PackedPending.pack(pending.values(), p -> {
            // Qualifier and ARN are interned: most events share the previous one's, compared by reference.
            if (last[0] == null || last[0].qualifier() != p.qualifier() || last[0].invokedArn() != p.invokedArn()) {
                lastIndex[0] = arnIndex.computeIfAbsent(p.qualifier() + " " + p.invokedArn(), key -> {
                    arns.add(key);
                    return arns.size() - 1;
                });
            }
            last[0] = p;
            return lastIndex[0];
        });
        List<EntitySnapshot.OutcomeEntry> outcomes = new ArrayList<>(undelivered.size());
        for (Outcome o : undelivered.values()) outcomes.add(entry(o));
        List<EntitySnapshot.AbandonedEntry> given = new ArrayList<>(abandoned.size());
        for (Abandoned a : abandoned.values()) {
            given.add(new EntitySnapshot.AbandonedEntry(entry(a.outcome()), a.target(), a.reason(), a.atMs()));
        }
        return new EntitySnapshot(function, seqNr, nextOrder, arns, null, outcomes, new ArrayList<>(recent.values()),
                given, packed);
    }

    private static EntitySnapshot.OutcomeEntry entry(Outcome o) {
        return new EntitySnapshot.OutcomeEntry(o.requestId(), o.qualifier(), o.invokedArn(), o.condition(),
                o.attempts(), o.acceptedAtMs(), o.finishedAtMs(), o.hops(), o.payloadSeqNr(), o.response(),
                o.destination(), o.deadLetter());
    }

    private static Outcome outcome(EntitySnapshot.OutcomeEntry o) {
        return new Outcome(o.requestId(), o.qualifier(), o.invokedArn(), o.condition(), o.attempts(), o.acceptedAtMs(),
                o.finishedAtMs(), o.hops(), null, o.payloadSeqNr(), o.response(), o.destination(), o.deadLetter());
    }

    /** Fills this (empty) queue from a snapshot; payloads are read back from the journal when due. */
    void restore(EntitySnapshot snapshot) {
        nextOrder = snapshot.nextOrder();
        List<String[]> arns = new ArrayList<>();
        for (String key : snapshot.arns()) {
            String[] qualifierAndArn = key.split(" ", 2);
            arns.add(new String[] {intern(qualifierAndArn[0]), intern(qualifierAndArn[1])});
        }
        List<Pending> restored = new ArrayList<>();
        if (snapshot.packedPending() != null) PackedPending.unpack(snapshot.packedPending(), arns::get, restored::add);
        if (snapshot.pending() != null) {
            for (EntitySnapshot.PendingEntry e : snapshot.pending()) {
                String[] arn = arns.get(e.arn());
                restored.add(new Pending(e.requestId(), arn[0], arn[1], e.acceptedAtMs(), e.hops(), e.attempts(),
                        e.throttles(), e.dueAtMs(), e.order(), null, e.payloadSeqNr(), e.lastError(), e.redriveOf()));
            }
        }
        // A million events: the map sized once, and the due order built from a sorted list in linear time.
        pending = new LinkedHashMap<>(restored.size() / 3 * 4 + 16);
        for (Pending p : restored) pending.put(p.requestId(), p);
        restored.sort(DUE_ORDER);
        byDue.restore(restored, p -> p.dueAtMs() == p.acceptedAtMs());
        for (EntitySnapshot.OutcomeEntry o : snapshot.undelivered()) undelivered.put(o.requestId(), outcome(o));
        for (Finished f : snapshot.recent()) recent.put(f.requestId(), f);
        if (snapshot.abandoned() != null) {
            for (EntitySnapshot.AbandonedEntry a : snapshot.abandoned()) {
                abandoned.put(a.outcome().requestId() + "|" + a.target(),
                        new Abandoned(outcome(a.outcome()), a.target(), a.reason(), a.atMs()));
            }
        }
    }
}
