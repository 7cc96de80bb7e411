package dev.invoka.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When which fault is injected, decided before the run from the command line. Pure: no clock, no
 * processes; {@link FaultInjector} carries it out.
 *
 * <p>Periodic faults start one period after the load starts and repeat while they start before the load
 * ends ({@code --kill-every 60s} over 200 s: at 60, 120, 180 s). Explicit times ({@code --db-restart-at
 * 30s,90s}) are taken as given when they fall within the load. Kills go to the nodes in turn (0, 1, 2, 0...),
 * pauses start one node further (1, 2, 0...) so that a kill and a pause at the same time hit different nodes
 * when there are several.
 */
final class FaultSchedule {

    enum Kind { KILL, PAUSE, DB_RESTART, DESTINATION_DOWN }

    /** One fault: start offset from the start of the load, how long it lasts, which node (or -1). */
    record Fault(long atMs, Kind kind, long forMs, int node) {
        String describe() {
            String target = node >= 0 ? " node-" + node : "";
            return kind.name().toLowerCase().replace('_', '-') + target + " at " + atMs / 1000.0 + "s"
                    + (forMs > 0 ? " for " + forMs / 1000.0 + "s" : "");
        }
    }

    /** The command line's fault options; null or empty means none of that kind. */
    record Options(Duration killEvery, List<Duration> killAt, Duration killDownFor,
                   Duration pauseEvery, List<Duration> pauseAt, Duration pauseFor,
                   List<Duration> dbRestartAt, Duration dbDownFor,
                   Duration destinationDownEvery, List<Duration> destinationDownAt, Duration destinationDownFor) {}

    private FaultSchedule() {}

    /** Every fault within a load of {@code load} on {@code nodes} nodes, in start order. */
    static List<Fault> plan(Options o, Duration load, int nodes) {
        long end = load.toMillis();
        List<Fault> faults = new ArrayList<>();
        List<Long> kills = times(o.killEvery(), o.killAt(), end);
        for (int i = 0; i < kills.size(); i++) {
            faults.add(new Fault(kills.get(i), Kind.KILL, ms(o.killDownFor()), i % nodes));
        }
        List<Long> pauses = times(o.pauseEvery(), o.pauseAt(), end);
        for (int i = 0; i < pauses.size(); i++) {
            faults.add(new Fault(pauses.get(i), Kind.PAUSE, ms(o.pauseFor()), (i + 1) % nodes));
        }
        for (long t : times(null, o.dbRestartAt(), end)) {
            faults.add(new Fault(t, Kind.DB_RESTART, ms(o.dbDownFor()), -1));
        }
        for (long t : times(o.destinationDownEvery(), o.destinationDownAt(), end)) {
            faults.add(new Fault(t, Kind.DESTINATION_DOWN, ms(o.destinationDownFor()), -1));
        }
        faults.sort(Comparator.comparingLong(Fault::atMs).thenComparing(Fault::kind));
        return faults;
    }

    private static List<Long> times(Duration every, List<Duration> at, long endMs) {
        List<Long> out = new ArrayList<>();
        if (every != null && !every.isZero() && !every.isNegative()) {
            for (long t = every.toMillis(); t < endMs; t += every.toMillis()) out.add(t);
        }
        if (at != null) {
            for (Duration d : at) if (d.toMillis() < endMs) out.add(d.toMillis());
        }
        out.sort(null);
        return out;
    }

    private static long ms(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    /**
     * A duration as written on the command line: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h},
     * {@code 1m30s}, a bare number of seconds, or ISO-8601 ({@code PT90S}).
     */
    static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase();
        if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(text.trim().toUpperCase());
        if (s.matches("\\d+(\\.\\d+)?")) return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(s);
        long total = 0;
        int pos = 0;
        while (m.find()) {
            if (m.start() != pos) break;
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            total += Math.round(v * unit);
            pos = m.end();
        }
        if (pos != s.length() || pos == 0) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 90s, 5m, 1m30s)");
        }
        return Duration.ofMillis(total);
    }
}
