package dev.invoka.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a {@link FaultSchedule} against the run's nodes, PostgreSQL and collector, each fault on
 * its own thread at its offset from {@link #start}, so faults may overlap.
 *
 * <p>Contract: a kill or a pause targets its node, or the next one that runs and no other fault holds, and
 * is skipped (recorded with the reason) when there is none; the node is restarted after the fault's
 * duration and the fault ends when it serves again. A pause is SIGSTOP, then SIGCONT after its duration.
 * A database restart stops the runner's own PostgreSQL and starts it on the same folder and port. Faults
 * that have nothing to act on (no local nodes with {@code --endpoints}, no own PostgreSQL with
 * {@code --db-url}) are recorded as skipped. {@link #injected()} lists what happened, with times, and is
 * safe to read at any time; {@link #awaitDone} waits for every fault to end, restarts included.
 *
 * <p>Between {@link #start} and {@link #stopSupervising} it also acts as a process supervisor would
 * (Kubernetes' restart policy, systemd): a node that ends on its own while no fault holds it, e.g. one that
 * downed itself after a pause, is started again; that is recorded as a {@code restart} with its exit code.
 */
final class FaultInjector {

    /** What one fault did: its kind, its target, when it started and ended (epoch ms), and any note. */
    record Injected(String kind, String target, long startMs, long endMs, boolean done, String note) {}

    private final List<FaultSchedule.Fault> plan;
    private final List<NodeProcess> nodes;
    private final Postgres postgres;
    private final Collector collector;
    private final List<Injected> injected = new ArrayList<>();
    private final java.util.Set<NodeProcess> busy = new java.util.HashSet<>();
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-supervisor");
        t.setDaemon(true);
        return t;
    });

    FaultInjector(List<FaultSchedule.Fault> plan, List<NodeProcess> nodes, Postgres postgres, Collector collector) {
        this.plan = plan;
        this.nodes = nodes;
        this.postgres = postgres;
        this.collector = collector;
        this.timer = Executors.newScheduledThreadPool(Math.max(1, Math.min(8, plan.size())), r -> {
            Thread t = new Thread(r, "chaos-fault");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        for (FaultSchedule.Fault f : plan) timer.schedule(() -> inject(f), f.atMs(), TimeUnit.MILLISECONDS);
        supervisor.scheduleWithFixedDelay(this::restartExited, 1, 1, TimeUnit.SECONDS);
    }

    /** Ends the supervision (before the nodes are stopped on purpose). */
    void stopSupervising() throws InterruptedException {
        supervisor.shutdownNow();
        supervisor.awaitTermination(3, TimeUnit.MINUTES); // a restart under way finishes first
    }

    private void restartExited() {
        for (NodeProcess node : nodes) {
            Integer code;
            synchronized (this) {
                code = busy.contains(node) ? null : node.exitedOnItsOwn();
                if (code == null || !busy.add(node)) continue;
            }
            long start = System.currentTimeMillis();
            try {
                node.start();
                log(new Injected("restart", node.name(), start, System.currentTimeMillis(), true,
                        "exited on its own with code " + code + "; started again"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log(new Injected("restart", node.name(), start, System.currentTimeMillis(), false, e.toString()));
            } finally {
                release(node);
            }
        }
    }

    void awaitDone(long timeoutMs) throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Cancels faults that have not started (those running finish). */
    void cancelPending() {
        timer.shutdownNow();
    }

    synchronized List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** The time windows of every fault that happened, plus {@code graceMs} after each. */
    List<Ledger.Window> windows(long graceMs) {
        List<Ledger.Window> out = new ArrayList<>();
        for (Injected i : injected()) if (i.done()) out.add(new Ledger.Window(i.startMs(), i.endMs() + graceMs));
        return out;
    }

    private void inject(FaultSchedule.Fault f) {
        String kind = f.kind().name().toLowerCase().replace('_', '-');
        long start = System.currentTimeMillis();
        String target = "-";
        try {
            switch (f.kind()) {
                case KILL, PAUSE -> {
                    NodeProcess node = take(f.node());
                    if (node == null) {
                        log(new Injected(kind, "-", start, start, false, "no running node free of other faults"));
                        return;
                    }
                    target = node.name();
                    try {
                        if (f.kind() == FaultSchedule.Kind.KILL) {
                            node.kill();
                            Thread.sleep(f.forMs());
                            node.start();
                        } else {
                            node.pause();
                            Thread.sleep(f.forMs());
                            node.resume();
                        }
                    } finally {
                        release(node);
                    }
                }
                case DB_RESTART -> {
                    if (postgres == null) {
                        log(new Injected(kind, "postgres", start, start, false, "not the runner's own PostgreSQL"));
                        return;
                    }
                    target = "postgres";
                    postgres.stop();
                    Thread.sleep(f.forMs());
                    postgres.start();
                }
                case DESTINATION_DOWN -> {
                    target = "collector";
                    collector.down();
                    Thread.sleep(f.forMs());
                    collector.up();
                }
                default -> throw new IllegalStateException("unknown fault " + f.kind());
            }
            log(new Injected(kind, target, start, System.currentTimeMillis(), true, ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log(new Injected(kind, target, start, System.currentTimeMillis(), false, "interrupted"));
        } catch (Exception e) {
            log(new Injected(kind, target, start, System.currentTimeMillis(), false, e.toString()));
        }
    }

    /**
     * The node of the plan, or the next one that runs and no other fault holds; null when there is none.
     * The node is held until {@link #release}.
     */
    private synchronized NodeProcess take(int index) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeProcess n = nodes.get((Math.max(0, index) + i) % nodes.size());
            if (n.state() == NodeProcess.State.RUNNING && busy.add(n)) return n;
        }
        return null;
    }

    private synchronized void release(NodeProcess node) {
        busy.remove(node);
    }

    private synchronized void log(Injected i) {
        injected.add(i);
    }
}
