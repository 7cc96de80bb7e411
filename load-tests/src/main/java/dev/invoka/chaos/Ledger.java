package dev.invoka.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the chaos runner promised and what came back: every request id that got a 202, every
 * invocation record the collector received, every attempt the runner's http function endpoint saw.
 *
 * <p>Contract: every method is thread-safe (one lock; the rates are thousands a second at most) and
 * takes times as epoch milliseconds passed in, so the summary is a pure function of what was recorded
 * and is tested without waiting. Nothing is ever removed.
 *
 * <p>How the summary counts (one request id = one accepted Event invoke):
 * <ul>
 *   <li><b>terminal record</b>: the first record received for an id; later ones are duplicate records.</li>
 *   <li><b>lost</b>: accepted, no record, and not listed as undeliverable by the node.</li>
 *   <li><b>unacknowledged accept</b>: a record for an id that never got a 202 here (the 202 was lost to a
 *       timeout or reset). If its payload's sequence number was accepted under another id, the client's
 *       retry made a <b>double accept</b>.</li>
 *   <li><b>duplicate attempts</b> (http functions): per id, max(arrivals − approximateInvokeCount,
 *       arrivals after the terminal record was received).</li>
 *   <li><b>retry delay</b> (http functions): for attempt n that was answered 500, observed = arrival of
 *       attempt n+1 − end of attempt n; expected = 60 s (n=1) or 120 s (n=2) × time scale. A sample whose
 *       interval overlaps a fault window is "disturbed" and is reported apart from the others.</li>
 * </ul>
 * Example: id A accepted at t=0, attempts arrive at 0 (500, ended 5), 620 (500, ended 622), 1830 (200);
 * record Success with approximateInvokeCount 3. At scale 0.01 the delays are 615 vs 600 (+15 ms) and
 * 1208 vs 1200 (+8 ms); no duplicate attempt.
 */
final class Ledger {

    /** Retry delays of AWS's asynchronous invocation, unscaled: after the first and the second failure. */
    static final long[] RETRY_DELAYS_MS = {60_000, 120_000};

    /** An accepted Event invoke: the payload's sequence number, its function, when its (last) try was sent. */
    record Accepted(String requestId, long seq, String function, long atMs) {}

    /** One invocation record as received by the collector; {@code seq} is -1 if the payload had none. */
    record Received(String requestId, long seq, String function, String condition, int invokeCount,
                    long timestampMs, long receivedAtMs) {}

    /** One attempt seen by the http function endpoint; {@code failed} when it was answered 500. */
    record Attempt(long arrivalMs, long endMs, boolean failed) {}

    /** A time window in which a fault was in effect (including the recovery after it). */
    record Window(long fromMs, long toMs) {
        boolean overlaps(long a, long b) {
            return a <= toMs && b >= fromMs;
        }
    }

    /**
     * One retry-delay sample: retry 1 or 2, when the failed attempt ended (epoch ms), observed and expected
     * delay (ms), disturbed by a fault.
     */
    record DelaySample(String requestId, int retry, long fromMs, long observedMs, long expectedMs, boolean disturbed) {
        long errorMs() {
            return observedMs - expectedMs;
        }
    }

    /** Everything the report needs from the ledger. */
    record Summary(int accepted, int succeeded, Map<String, Integer> byCondition, List<String> lost,
                   List<String> undeliverable, int duplicateRecords, int unacknowledgedAccepts, int doubleAccepts,
                   int httpEvents, int attempts, int duplicateAttempts, List<DelaySample> delays,
                   List<Long> eventAgesMs, Map<String, List<Long>> eventAgesByFunction,
                   Map<String, Map<String, Integer>> conditionsByFunction) {}

    private final Map<String, Accepted> accepted = new HashMap<>();
    private final Map<Long, List<String>> idsBySeq = new HashMap<>();
    private final Map<String, List<Received>> records = new HashMap<>();
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final Map<String, Integer> arrivals = new HashMap<>();
    private int recordCount;
    private int attemptCount;

    synchronized void accepted(String requestId, long seq, String function, long atMs) {
        accepted.putIfAbsent(requestId, new Accepted(requestId, seq, function, atMs));
        idsBySeq.computeIfAbsent(seq, s -> new ArrayList<>(1)).add(requestId);
    }

    synchronized void record(Received r) {
        records.computeIfAbsent(r.requestId(), id -> new ArrayList<>(1)).add(r);
        recordCount++;
    }

    /** An attempt for {@code requestId} arrived; returns its number (1 for the first arrival). */
    synchronized int attemptArrived(String requestId) {
        attemptCount++;
        return arrivals.merge(requestId, 1, Integer::sum);
    }

    /** The attempt that arrived at {@code arrivalMs} was answered at {@code endMs}. */
    synchronized void attemptEnded(String requestId, long arrivalMs, long endMs, boolean failed) {
        attempts.computeIfAbsent(requestId, id -> new ArrayList<>(3)).add(new Attempt(arrivalMs, endMs, failed));
    }

    synchronized int acceptedCount() {
        return accepted.size();
    }

    /** Records received, duplicates included. */
    synchronized int recordCount() {
        return recordCount;
    }

    synchronized int attemptCount() {
        return attemptCount;
    }

    /** Accepted ids with no record yet. */
    synchronized Set<String> missing() {
        Set<String> missing = new HashSet<>();
        for (String id : accepted.keySet()) if (!records.containsKey(id)) missing.add(id);
        return missing;
    }

    /** Function name of an accepted id, or null. */
    synchronized String functionOf(String requestId) {
        Accepted a = accepted.get(requestId);
        return a == null ? null : a.function();
    }

    /**
     * The summary. {@code undeliverable} are ids the node reported as abandoned deliveries (not lost:
     * their records are readable on the node); {@code faults} are the windows that disturb retry delays.
     */
    synchronized Summary summarize(double timeScale, Set<String> undeliverable, List<Window> faults) {
        Map<String, Integer> byCondition = new TreeMap<>();
        Map<String, Map<String, Integer>> byFunction = new TreeMap<>();
        Map<String, List<Long>> agesByFunction = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        List<Long> ages = new ArrayList<>();
        int succeeded = 0;
        for (Accepted a : accepted.values()) {
            List<Received> rs = records.get(a.requestId());
            if (rs == null) {
                if (undeliverable.contains(a.requestId())) abandoned.add(a.requestId());
                else lost.add(a.requestId());
                continue;
            }
            Received terminal = rs.get(0);
            byCondition.merge(terminal.condition(), 1, Integer::sum);
            byFunction.computeIfAbsent(a.function(), f -> new TreeMap<>()).merge(terminal.condition(), 1, Integer::sum);
            if ("Success".equals(terminal.condition())) succeeded++;
            long age = terminal.timestampMs() - a.atMs();
            ages.add(age);
            agesByFunction.computeIfAbsent(a.function(), f -> new ArrayList<>()).add(age);
        }
        int duplicateRecords = 0;
        int unacknowledged = 0;
        int doubleAccepts = 0;
        for (Map.Entry<String, List<Received>> e : records.entrySet()) {
            duplicateRecords += e.getValue().size() - 1;
            if (accepted.containsKey(e.getKey())) continue;
            unacknowledged++;
            List<String> sameSeq = idsBySeq.get(e.getValue().get(0).seq());
            if (sameSeq != null && !sameSeq.isEmpty()) doubleAccepts++;
        }
        int duplicateAttempts = 0;
        int attemptTotal = 0;
        List<DelaySample> delays = new ArrayList<>();
        for (Map.Entry<String, List<Attempt>> e : attempts.entrySet()) {
            List<Attempt> list = new ArrayList<>(e.getValue());
            list.sort((x, y) -> Long.compare(x.arrivalMs(), y.arrivalMs()));
            attemptTotal += list.size();
            List<Received> rs = records.get(e.getKey());
            if (rs != null) duplicateAttempts += duplicateAttempts(list, rs.get(0));
            delays.addAll(delays(e.getKey(), list, timeScale, faults));
        }
        lost.sort(null);
        return new Summary(accepted.size(), succeeded, byCondition, lost, abandoned, duplicateRecords, unacknowledged,
                doubleAccepts, attempts.size(), attemptTotal, duplicateAttempts, delays, ages, agesByFunction, byFunction);
    }

    /** Arrivals beyond what the terminal record counts, or after the record arrived, whichever is more. */
    static int duplicateAttempts(List<Attempt> sortedAttempts, Received terminal) {
        int beyondCount = Math.max(0, sortedAttempts.size() - terminal.invokeCount());
        int afterRecord = 0;
        for (Attempt a : sortedAttempts) if (a.arrivalMs() > terminal.receivedAtMs()) afterRecord++;
        return Math.max(beyondCount, afterRecord);
    }

    /** Delay samples of one id's attempts, sorted by arrival: a sample after each failed attempt 1 and 2. */
    static List<DelaySample> delays(String requestId, List<Attempt> sorted, double timeScale, List<Window> faults) {
        List<DelaySample> out = new ArrayList<>();
        for (int i = 0; i + 1 < sorted.size() && i < RETRY_DELAYS_MS.length; i++) {
            Attempt done = sorted.get(i);
            if (!done.failed()) break;
            long next = sorted.get(i + 1).arrivalMs();
            boolean disturbed = false;
            for (Window w : faults) disturbed |= w.overlaps(done.endMs(), next);
            out.add(new DelaySample(requestId, i + 1, done.endMs(), next - done.endMs(),
                    Math.round(RETRY_DELAYS_MS[i] * timeScale), disturbed));
        }
        return out;
    }
}
