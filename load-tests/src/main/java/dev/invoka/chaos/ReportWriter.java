package dev.invoka.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a finished run into {@code report.json}, a self-contained {@code report.html} (inline SVG charts:
 * throughput, queues, retry-delay histogram) and the summary printed at the end.
 *
 * <p>Contract: {@link #report()} is a pure function of the {@link Run}; the JSON has the sections
 * {@code config, load, outcomes, attempts, retryDelay, eventAgeMs, faults, timeline}; every time is in
 * milliseconds, retry delays already scaled (expected = 60 s / 120 s × time scale).
 */
final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_IDS = 100;

    /** Everything a report is made of. */
    record Run(String command, Map<String, Object> config, long startMs, long loadEndMs, long endMs,
               Map<String, Object> load, Ledger.Summary summary, List<FaultInjector.Injected> faults,
               List<Timeline.Sample> timeline, double timeScale, int malformedRecords) {}

    private final Run run;

    ReportWriter(Run run) {
        this.run = run;
    }

    Map<String, Object> report() {
        Ledger.Summary s = run.summary();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", run.command());
        r.put("startedAt", Instant.ofEpochMilli(run.startMs()).toString());
        r.put("loadSeconds", (run.loadEndMs() - run.startMs()) / 1000.0);
        r.put("totalSeconds", (run.endMs() - run.startMs()) / 1000.0);
        r.put("config", run.config());
        r.put("load", run.load());

        Map<String, Object> o = new LinkedHashMap<>();
        o.put("accepted", s.accepted());
        o.put("succeeded", s.succeeded());
        Map<String, Integer> failed = new LinkedHashMap<>(s.byCondition());
        failed.remove("Success");
        o.put("failedByCondition", failed);
        o.put("lost", s.lost().size());
        o.put("lostIds", s.lost().subList(0, Math.min(MAX_IDS, s.lost().size())));
        o.put("undeliverable", s.undeliverable().size());
        o.put("duplicateRecords", s.duplicateRecords());
        o.put("unacknowledgedAccepts", s.unacknowledgedAccepts());
        o.put("doubleAccepts", s.doubleAccepts());
        o.put("malformedRecords", run.malformedRecords());
        o.put("conditionsByFunction", s.conditionsByFunction());
        r.put("outcomes", o);

        Map<String, Object> a = new LinkedHashMap<>();
        a.put("httpEvents", s.httpEvents());
        a.put("attempts", s.attempts());
        a.put("duplicateAttempts", s.duplicateAttempts());
        r.put("attempts", a);

        r.put("retryDelay", retryDelay(s.delays()));

        Map<String, Object> age = new LinkedHashMap<>(Stats.describe(s.eventAgesMs()));
        Map<String, Object> byFn = new LinkedHashMap<>();
        s.eventAgesByFunction().forEach((f, ages) -> byFn.put(f, Stats.describe(ages)));
        age.put("byFunction", byFn);
        r.put("eventAgeMs", age);

        List<Map<String, Object>> faults = new ArrayList<>();
        for (FaultInjector.Injected i : run.faults()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("kind", i.kind());
            f.put("target", i.target());
            f.put("atSeconds", (i.startMs() - run.startMs()) / 1000.0);
            f.put("lastedSeconds", (i.endMs() - i.startMs()) / 1000.0);
            f.put("done", i.done());
            if (!i.note().isEmpty()) f.put("note", i.note());
            faults.add(f);
        }
        r.put("faults", faults);
        r.put("timeline", run.timeline());
        return r;
    }

    private Map<String, Object> retryDelay(List<Ledger.DelaySample> delays) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeScale", run.timeScale());
        m.put("expectedMs", Map.of("retry1", Math.round(Ledger.RETRY_DELAYS_MS[0] * run.timeScale()),
                "retry2", Math.round(Ledger.RETRY_DELAYS_MS[1] * run.timeScale())));
        m.put("errorMs", Stats.describe(errors(delays, d -> true)));
        m.put("errorMsUndisturbed", Stats.describe(errors(delays, d -> !d.disturbed())));
        m.put("errorMsDisturbed", Stats.describe(errors(delays, Ledger.DelaySample::disturbed)));
        m.put("errorMsRetry1", Stats.describe(errors(delays, d -> d.retry() == 1)));
        m.put("errorMsRetry2", Stats.describe(errors(delays, d -> d.retry() == 2)));
        List<Map<String, Object>> bins = new ArrayList<>();
        for (Stats.Bin b : Stats.histogram(errors(delays, d -> true), 30)) {
            bins.add(Map.of("fromMs", b.fromMs(), "toMs", b.toMs(), "count", b.count()));
        }
        m.put("histogram", bins);
        List<Map<String, Object>> worst = new ArrayList<>();
        delays.stream().filter(d -> !d.disturbed())
                .sorted((x, y) -> Long.compare(Math.abs(y.errorMs()), Math.abs(x.errorMs()))).limit(10)
                .forEach(d -> {
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("requestId", d.requestId());
                    w.put("retry", d.retry());
                    w.put("atSeconds", (d.fromMs() - run.startMs()) / 1000.0);
                    w.put("observedMs", d.observedMs());
                    w.put("expectedMs", d.expectedMs());
                    worst.add(w);
                });
        m.put("worstUndisturbed", worst);
        return m;
    }

    private static List<Long> errors(List<Ledger.DelaySample> delays, Predicate<Ledger.DelaySample> which) {
        return delays.stream().filter(which).map(Ledger.DelaySample::errorMs).toList();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> report = report();
        JSON.writeValue(dir.resolve("report.json").toFile(), report);
        Files.writeString(dir.resolve("report.html"), html(report), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    String html(Map<String, Object> report) throws IOException {
        List<Timeline.Sample> tl = run.timeline();
        List<Double> xs = tl.stream().map(t -> t.tMs() / 1000.0).toList();
        List<Svg.Band> bands = new ArrayList<>();
        for (FaultInjector.Injected i : run.faults()) {
            if (!i.done()) continue;
            String color = switch (i.kind()) {
                case "kill" -> "#d62728";
                case "pause" -> "#ff7f0e";
                case "db-restart" -> "#9467bd";
                default -> "#8c564b";
            };
            bands.add(new Svg.Band((i.startMs() - run.startMs()) / 1000.0, (i.endMs() - run.startMs()) / 1000.0,
                    i.kind() + " " + i.target(), color));
        }
        String throughput = Svg.lineChart("Throughput (per second; shaded: faults)", "per second", xs, List.of(
                new Svg.Series("accepted", "#1f77b4", rate(tl, Timeline.Sample::accepted)),
                new Svg.Series("records", "#2ca02c", rate(tl, Timeline.Sample::records)),
                new Svg.Series("http attempts", "#7f7f7f", rate(tl, Timeline.Sample::attempts))), bands);
        String queues = Svg.lineChart("Queues, summed over the functions", "events", xs, List.of(
                new Svg.Series("depth", "#1f77b4", field(tl, Timeline.Sample::depth)),
                new Svg.Series("inFlight", "#2ca02c", field(tl, Timeline.Sample::inFlight)),
                new Svg.Series("scheduledRetries", "#ff7f0e", field(tl, Timeline.Sample::scheduledRetries)),
                new Svg.Series("undeliveredRecords", "#d62728", field(tl, Timeline.Sample::undelivered))), bands);
        String age = Svg.lineChart("Oldest queued event (ms)", "ms", xs, List.of(
                new Svg.Series("oldestAgeMs", "#9467bd", field(tl, Timeline.Sample::oldestAgeMs))), bands);
        List<Ledger.DelaySample> delays = run.summary().delays();
        String histogram = Svg.histogram("Retry delay: observed − expected (ms), all samples", "ms (bin start)",
                bars(delays, d -> true), new String[] {"#1f77b4", "#ff7f0e"},
                new String[] {"undisturbed", "fault during the wait"})
                + Svg.histogram("Retry delay: observed − expected (ms), undisturbed samples", "ms (bin start)",
                bars(delays, d -> !d.disturbed()), new String[] {"#1f77b4", "#ff7f0e"},
                new String[] {"undisturbed", "fault during the wait"});
        String json = JSON.writeValueAsString(withoutTimeline(report));
        return "<!doctype html><html><head><meta charset='utf-8'><title>Invoka chaos report</title>"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:960px}pre{background:#f6f6f6;padding:1em;"
                + "overflow:auto;font-size:12px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}th{text-align:left}</style></head><body>"
                + "<h1>Invoka chaos report</h1><p><code>" + Svg.esc(run.command()) + "</code></p>"
                + summaryTable((Map<String, Object>) report.get("outcomes"), (Map<String, Object>) report.get("attempts"),
                        (Map<String, Object>) report.get("retryDelay"), (Map<String, Object>) report.get("eventAgeMs"))
                + throughput + queues + age + histogram
                + "<h2>Report</h2><pre>" + Svg.esc(json) + "</pre></body></html>";
    }

    private static String summaryTable(Map<String, Object> o, Map<String, Object> a, Map<String, Object> rd,
                                       Map<String, Object> age) {
        StringBuilder sb = new StringBuilder("<table>");
        row(sb, "accepted", o.get("accepted"));
        row(sb, "succeeded", o.get("succeeded"));
        row(sb, "failed by condition", o.get("failedByCondition"));
        row(sb, "<b>lost</b>", o.get("lost"));
        row(sb, "undeliverable (kept on the node)", o.get("undeliverable"));
        row(sb, "duplicate records", o.get("duplicateRecords"));
        row(sb, "unacknowledged accepts / double accepts", o.get("unacknowledgedAccepts") + " / " + o.get("doubleAccepts"));
        row(sb, "http attempts / duplicate attempts", a.get("attempts") + " / " + a.get("duplicateAttempts"));
        row(sb, "retry delay error, ms (all)", rd.get("errorMs"));
        row(sb, "retry delay error, ms (undisturbed)", rd.get("errorMsUndisturbed"));
        Map<String, Object> ages = new LinkedHashMap<>(age);
        ages.remove("byFunction");
        row(sb, "event age at completion, ms", ages);
        return sb.append("</table>").toString();
    }

    private static void row(StringBuilder sb, String name, Object value) {
        sb.append("<tr><th>").append(name).append("</th><td>").append(Svg.esc(String.valueOf(value))).append("</td></tr>");
    }

    /** Histogram bars of the chosen samples, each bar split into undisturbed and disturbed counts. */
    private static List<Svg.Bar> bars(List<Ledger.DelaySample> delays, Predicate<Ledger.DelaySample> which) {
        List<Stats.Bin> bins = Stats.histogram(errors(delays, which), 30);
        int[][] counts = new int[bins.size()][2];
        for (Ledger.DelaySample d : delays) {
            if (which.test(d)) counts[Stats.binOf(bins, d.errorMs())][d.disturbed() ? 1 : 0]++;
        }
        List<Svg.Bar> bars = new ArrayList<>();
        for (int i = 0; i < bins.size(); i++) bars.add(new Svg.Bar(Long.toString(bins.get(i).fromMs()), counts[i]));
        return bars;
    }

    private static Map<String, Object> withoutTimeline(Map<String, Object> report) {
        Map<String, Object> copy = new LinkedHashMap<>(report);
        copy.remove("timeline");
        return copy;
    }

    private static List<Double> rate(List<Timeline.Sample> tl, Function<Timeline.Sample, Long> total) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < tl.size(); i++) {
            if (i == 0) {
                out.add(0.0);
                continue;
            }
            double dt = (tl.get(i).tMs() - tl.get(i - 1).tMs()) / 1000.0;
            out.add(dt <= 0 ? 0 : (total.apply(tl.get(i)) - total.apply(tl.get(i - 1))) / dt);
        }
        return out;
    }

    private static List<Double> field(List<Timeline.Sample> tl, Function<Timeline.Sample, Long> f) {
        return tl.stream().map(s -> f.apply(s) == null ? null : f.apply(s).doubleValue()).toList();
    }

    /** The lines printed at the end of a run. */
    @SuppressWarnings("unchecked")
    static String summaryText(Map<String, Object> report) {
        Map<String, Object> o = (Map<String, Object>) report.get("outcomes");
        Map<String, Object> a = (Map<String, Object>) report.get("attempts");
        Map<String, Object> rd = (Map<String, Object>) report.get("retryDelay");
        Map<String, Object> age = new LinkedHashMap<>((Map<String, Object>) report.get("eventAgeMs"));
        age.remove("byFunction");
        List<Map<String, Object>> faults = (List<Map<String, Object>>) report.get("faults");
        StringBuilder f = new StringBuilder();
        for (Map<String, Object> x : faults) {
            f.append(String.format("  %-18s %-9s at %6.1fs lasted %5.1fs %s%n", x.get("kind"), x.get("target"),
                    x.get("atSeconds"), x.get("lastedSeconds"), Boolean.TRUE.equals(x.get("done")) ? "" : "SKIPPED " + x.get("note")));
        }
        return "load:        " + report.get("load") + "\n"
                + "accepted:    " + o.get("accepted") + "\n"
                + "succeeded:   " + o.get("succeeded") + "\n"
                + "failed:      " + o.get("failedByCondition") + "\n"
                + "LOST:        " + o.get("lost") + (((Integer) o.get("lost")) > 0 ? "  e.g. " + o.get("lostIds") : "") + "\n"
                + "undeliverable (readable on the node): " + o.get("undeliverable") + "\n"
                + "duplicates:  records " + o.get("duplicateRecords") + ", attempts " + a.get("duplicateAttempts")
                + " of " + a.get("attempts") + ", unacknowledged accepts " + o.get("unacknowledgedAccepts")
                + " (double accepts " + o.get("doubleAccepts") + ")\n"
                + "retry delay, observed - expected (ms): all " + rd.get("errorMs") + "\n"
                + "                                undisturbed " + rd.get("errorMsUndisturbed") + "\n"
                + "event age at completion (ms): " + age + "\n"
                + "faults:\n" + f;
    }
}
