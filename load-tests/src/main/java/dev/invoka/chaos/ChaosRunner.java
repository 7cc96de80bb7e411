package dev.invoka.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chaos runner: starts (or uses) Invoka nodes, creates one function of each kind with webhook
 * destinations on its own collector, drives Event invokes while injecting faults, drains, and reports
 * what was accepted, what came back, what was lost, duplicated or late.
 *
 * <p>Order of a run: collector and function endpoint up; PostgreSQL and nodes started (unless
 * {@code --endpoints}); functions and their event invoke configs created; then load, the fault schedule,
 * the sampler and the progress line run together for {@code --duration}; running faults finish (killed
 * nodes are back); the drain waits up to {@code --drain} for every accepted id's record; the node is asked
 * for undeliverable records of ids still missing; the report is written. Exit code: 0, 1 when anything
 * was lost, 2 when the run could not be set up. Every process it started is stopped, also on Ctrl-C.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = "Drives Event-invoke load against Invoka while killing, pausing and restarting things; "
                + "reports lost, duplicated and late work. Exit code 1 when any accepted event was lost.")
public final class ChaosRunner implements Callable<Integer> {

    @Option(names = "--nodes", description = "Local nodes to start (default ${DEFAULT-VALUE}); >1 needs PostgreSQL.")
    int nodes = 1;
    @Option(defaultValue = "60s", names = "--duration", description = "How long the load runs (default ${DEFAULT-VALUE}).")
    Duration duration;
    @Option(names = "--rate", description = "Event invokes per second (default ${DEFAULT-VALUE}).")
    double rate = 50;
    @Option(names = "--time-scale", description = "INVOKA_TIME_SCALE of the nodes (default ${DEFAULT-VALUE}); "
            + "with --endpoints, give the cluster's own.")
    double timeScale = 0.01;
    @Option(names = "--kill-every", description = "kill -9 a node this often (nodes in turn), then restart it.")
    Duration killEvery;
    @Option(names = "--kill-at", split = ",", description = "kill -9 a node at these offsets, e.g. 20s,45s.")
    List<Duration> killAt = new ArrayList<>();
    @Option(defaultValue = "1s", names = "--kill-down-for", description = "How long a killed node stays down (default ${DEFAULT-VALUE}).")
    Duration killDownFor;
    @Option(names = "--pause-every", description = "SIGSTOP a node this often, SIGCONT after --pause-for.")
    Duration pauseEvery;
    @Option(names = "--pause-at", split = ",", description = "SIGSTOP a node at these offsets.")
    List<Duration> pauseAt = new ArrayList<>();
    @Option(defaultValue = "10s", names = "--pause-for", description = "Length of a pause (default ${DEFAULT-VALUE}).")
    Duration pauseFor;
    @Option(names = "--db-restart-at", split = ",", description = "Restart the runner's PostgreSQL at these offsets.")
    List<Duration> dbRestartAt = new ArrayList<>();
    @Option(defaultValue = "3s", names = "--db-down-for", description = "How long PostgreSQL stays down (default ${DEFAULT-VALUE}).")
    Duration dbDownFor;
    @Option(names = "--destination-down-every", description = "Take the destination (the collector) down this often.")
    Duration destinationDownEvery;
    @Option(names = "--destination-down-at", split = ",", description = "Take the destination down at these offsets.")
    List<Duration> destinationDownAt = new ArrayList<>();
    @Option(defaultValue = "3s", names = "--destination-down-for", description = "How long the destination stays down (default "
            + "${DEFAULT-VALUE}); past 511 s x time scale the node gives records up (undeliverable).")
    Duration destinationDownFor;
    @Option(names = "--endpoints", split = ",", description = "Use these running nodes (http://host:port,...) "
            + "instead of starting any; node faults are then skipped.")
    List<String> endpoints = new ArrayList<>();
    @Option(names = "--db-url", description = "jdbc:postgresql:// URL of the journal instead of the runner's own "
            + "PostgreSQL (a database restart is then skipped).")
    String dbUrl;
    @Option(names = "--db-user", description = "Journal user (default ${DEFAULT-VALUE}).")
    String dbUser = "postgres";
    @Option(names = "--db-password", description = "Journal password (default empty).")
    String dbPassword = "";
    @Option(names = "--h2", description = "One node on its embedded H2 journal instead of PostgreSQL.")
    boolean h2;
    @Option(names = "--out", description = "Report folder: report.json, report.html, node logs (default ${DEFAULT-VALUE}).")
    Path out = Path.of("chaos-report");
    @Option(defaultValue = "60s", names = "--drain", description = "Longest wait after the load for outstanding records (default ${DEFAULT-VALUE}).")
    Duration drain;
    @Option(defaultValue = "2s", names = "--request-timeout", description = "Invoke timeout before trying the next node (default ${DEFAULT-VALUE}).")
    Duration requestTimeout;
    @Option(names = "--max-in-flight", description = "Invokes in flight at most; beyond, invokes are skipped (default ${DEFAULT-VALUE}).")
    int maxInFlight = 512;
    @Option(names = "--node-heap", description = "-Xmx of each node (default ${DEFAULT-VALUE}).")
    String nodeHeap = "256m";
    @Option(names = "--node-dir", description = "Folder with invoka-node.jar and lib/ (default: the launcher's "
            + "checkout, else cluster-node/target found from the working directory upwards).")
    Path nodeDir;
    @Option(defaultValue = "120s", names = "--start-timeout", description = "Longest wait for a node to serve (default ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream console = System.err;
    private String[] args = new String[0];

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        ChaosRunner runner = new ChaosRunner();
        runner.args = args.clone();
        CommandLine cl = new CommandLine(runner);
        cl.registerConverter(Duration.class, FaultSchedule::parseDuration);
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Files.createDirectories(out);
        Ledger ledger = new Ledger();
        List<AutoCloseable> started = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread cleanup = new Thread(() -> closeAll(started), "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return runWith(ledger, started);
        } catch (SetupException e) {
            console.println("chaos: " + e.getMessage());
            return 2;
        } finally {
            closeAll(started);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private int runWith(Ledger ledger, List<AutoCloseable> started) throws Exception {
        long t0 = System.currentTimeMillis();
        Collector collector = new Collector(ledger, LocalCluster.freePort());
        started.add(collector);
        collector.up();
        FunctionEndpoint functionEndpoint = new FunctionEndpoint(ledger);
        started.add(functionEndpoint);

        Postgres postgres = null;
        LocalCluster cluster = null;
        List<String> targets = endpoints;
        String journal = "external";
        if (endpoints.isEmpty()) {
            LocalCluster.Journal j = null;
            if (!h2) {
                String url = dbUrl;
                if (url == null) {
                    Path pgData = out.resolve("postgres-data");
                    deleteTree(pgData);
                    postgres = new Postgres(pgData, LocalCluster.freePort());
                    started.add(postgres);
                    console.println("chaos: starting PostgreSQL");
                    postgres.start();
                    url = postgres.jdbcUrl();
                }
                j = new LocalCluster.Journal(url, dbUser, dbPassword);
                journal = dbUrl == null ? "embedded PostgreSQL " + url : url;
            } else {
                journal = "H2 (embedded)";
            }
            cluster = new LocalCluster(nodes, j, timeScale, launch(), out, startTimeout);
            started.add(cluster);
            console.println("chaos: starting " + nodes + " node(s), logs in " + out);
            try {
                cluster.start();
            } catch (IOException e) {
                throw new SetupException(e.getMessage());
            }
            awaitMembership(cluster);
            targets = cluster.endpoints();
        }
        List<String> live = targets;
        LambdaClient lambda = new LambdaClient(() -> rotate(live));

        String prefix = "chaos-" + Long.toString(t0 % 1_000_000_000L, 36) + "-";
        List<Workload.Spec> specs = Workload.standard(functionEndpoint);
        List<String> names = new ArrayList<>();
        try {
            for (Workload.Spec s : specs) {
                String name = prefix + s.suffix();
                lambda.createFunction(s, name);
                lambda.putEventInvokeConfig(name, collector.url(name), s.maxRetries());
                names.add(name);
            }
        } catch (IllegalStateException e) {
            throw new SetupException(e.getMessage());
        }

        FaultSchedule.Options fo = new FaultSchedule.Options(killEvery, killAt, killDownFor, pauseEvery, pauseAt,
                pauseFor, dbRestartAt, dbDownFor, destinationDownEvery, destinationDownAt, destinationDownFor);
        List<FaultSchedule.Fault> plan = FaultSchedule.plan(fo, duration, Math.max(1, nodes));
        FaultInjector faults = new FaultInjector(plan, cluster == null ? List.of() : cluster.nodes(), postgres, collector);
        LoadDriver driver = new LoadDriver(targets, names, Workload.cycle(specs), rate, requestTimeout, maxInFlight, ledger);

        long start = System.currentTimeMillis();
        Timeline timeline = new Timeline(ledger, lambda, names, start);
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "chaos-ticker");
            t.setDaemon(true);
            return t;
        });
        Progress progress = new Progress(console, driver, ledger, timeline, faults, start, duration.toMillis());
        ticker.scheduleWithFixedDelay(timeline::sample, 0, 1, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
        faults.start();
        driver.run(duration.toMillis());
        long loadEnd = System.currentTimeMillis();
        faults.awaitDone(Math.max(60_000, 3 * (killDownFor.toMillis() + startTimeout.toMillis())));

        progress.phase("drain");
        long drainEnd = System.currentTimeMillis() + drain.toMillis();
        while (System.currentTimeMillis() < drainEnd && !drained(ledger, timeline)) {
            Thread.sleep(250);
        }
        Thread.sleep(Math.min(2000, Math.max(0, drainEnd - System.currentTimeMillis())));
        ticker.shutdownNow();
        faults.stopSupervising();
        progress.finish();

        Set<String> undeliverable = undeliverable(lambda, ledger);
        Ledger.Summary summary = ledger.summarize(timeScale, undeliverable, faults.windows(1000));
        Map<String, Object> config = config(journal, targets, plan, names);
        ReportWriter writer = new ReportWriter(new ReportWriter.Run(commandLine(), config, start, loadEnd,
                System.currentTimeMillis(), driver.counters(), summary, faults.injected(), timeline.samples(), timeScale,
                collector.malformed()));
        writer.write(out);
        console.println(ReportWriter.summaryText(writer.report()));
        console.println("report: " + out.resolve("report.html").toAbsolutePath());
        return summary.lost().isEmpty() ? 0 : 1;
    }

    /** Every accepted id has its record and the last queue sample shows nothing left to do. */
    private static boolean drained(Ledger ledger, Timeline timeline) {
        if (!ledger.missing().isEmpty()) return false;
        Timeline.Sample s = timeline.last();
        return s != null && s.depth() != null && s.depth() + s.inFlight() + s.scheduledRetries() + s.undelivered() == 0;
    }

    private static Set<String> undeliverable(LambdaClient lambda, Ledger ledger) {
        Set<String> missing = ledger.missing();
        Set<String> found = new HashSet<>();
        if (missing.isEmpty()) return found;
        Set<String> functions = new HashSet<>();
        for (String id : missing) functions.add(ledger.functionOf(id));
        for (String f : functions) {
            Set<String> ids = lambda.undeliverable(f);
            if (ids != null) for (String id : ids) if (missing.contains(id)) found.add(id);
        }
        return found;
    }

    /** With several nodes and cluster mode, waits until every node's management says it is ready. */
    private void awaitMembership(LocalCluster cluster) throws InterruptedException {
        if (cluster.nodes().size() < 2) return;
        long deadline = System.currentTimeMillis() + startTimeout.toMillis();
        for (NodeProcess n : cluster.nodes()) {
            Boolean ready;
            while ((ready = n.ready()) != null && !ready && System.currentTimeMillis() < deadline) Thread.sleep(250);
            if (ready == null) console.println("chaos: " + n.name() + " has no management endpoint (no cluster mode?)");
        }
    }

    private NodeProcess.Launch launch() throws SetupException {
        Path dir = nodeDir;
        if (dir == null && System.getProperty("invoka.node.dir") != null) dir = Path.of(System.getProperty("invoka.node.dir"));
        if (dir == null) {
            for (Path p = Path.of("").toAbsolutePath(); p != null && dir == null; p = p.getParent()) {
                Path candidate = p.resolve("cluster-node").resolve("target");
                if (Files.isRegularFile(candidate.resolve("invoka-node.jar"))) dir = candidate;
            }
        }
        if (dir == null || !Files.isRegularFile(dir.resolve("invoka-node.jar")) || !Files.isDirectory(dir.resolve("lib"))) {
            throw new SetupException("no cluster-node/target/invoka-node.jar and lib/ found from "
                    + Path.of("").toAbsolutePath() + " upwards; build the node (mvn -pl cluster-node -am package) "
                    + "or pass --node-dir");
        }
        return new NodeProcess.Launch(dir.resolve("invoka-node.jar"), dir.resolve("lib"), nodeHeap);
    }

    private void validate() {
        if (nodes < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 1");
        if (h2 && nodes > 1) throw new CommandLine.ParameterException(spec.commandLine(), "--h2 runs one node only");
        if (rate <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be positive");
        if (destinationDownFor.toMillis() > 511_000 * timeScale) {
            console.println("chaos: warning: the destination stays down longer than the node retries a delivery "
                    + "(511 s x time scale): expect undeliverable records");
        }
    }

    private Map<String, Object> config(String journal, List<String> targets, List<FaultSchedule.Fault> plan,
                                       List<String> names) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("nodes", endpoints.isEmpty() ? nodes : targets.size());
        c.put("endpoints", targets);
        c.put("journal", journal);
        c.put("durationSeconds", duration.toMillis() / 1000.0);
        c.put("ratePerSecond", rate);
        c.put("timeScale", timeScale);
        c.put("drainSeconds", drain.toMillis() / 1000.0);
        c.put("faultPlan", plan.stream().map(FaultSchedule.Fault::describe).toList());
        c.put("functions", names);
        return c;
    }

    private String commandLine() {
        return ("chaos " + String.join(" ", args)).trim();
    }

    private static List<String> rotate(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        java.util.Collections.rotate(copy, (int) (System.nanoTime() % Math.max(1, copy.size())));
        return copy;
    }

    private static void closeAll(List<AutoCloseable> started) {
        synchronized (started) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception ignored) {
                    // best effort: the rest must still stop
                }
            }
            started.clear();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The run could not be set up (exit code 2). */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }
}
