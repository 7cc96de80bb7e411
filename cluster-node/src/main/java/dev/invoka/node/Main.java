package dev.invoka.node;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import sun.misc.Signal;

/** Starts one node in the foreground; SIGTERM (Ctrl-C) runs Pekko's coordinated shutdown. */
public final class Main {

    private static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private Main() {}

    /**
     * On a 2-core machine the JDK's common pool has parallelism 1, and CompletableFuture's async stages
     * (which Pekko's Java API completes through) then start a new thread per task: measured here, that
     * capped DryRun invokes at ~2,000/s. Must run before anything touches ForkJoinPool.
     */
    static void commonPoolOfAtLeastTwo() {
        if (System.getProperty(COMMON_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_PARALLELISM, "2");
        }
    }

    /** Why the node stops: a signal asked it to. */
    enum Stop implements CoordinatedShutdown.Reason { SIGNAL }

    /**
     * SIGTERM and SIGINT run coordinated shutdown (unready, drain, unbind, hand the functions over, leave the
     * cluster), which then ends the JVM with exit code 0 ({@code pekko.coordinated-shutdown.exit-jvm}). Run
     * from the JVM's shutdown hook instead, the same shutdown ends with 143, which Kubernetes and process
     * supervisors report as an error.
     */
    static void stopOnSignals(ActorSystem<?> system) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> shutdown.runAll(Stop.SIGNAL));
        }
    }

    public static void main(String[] args) throws Exception {
        commonPoolOfAtLeastTwo();
        InvokaNode node;
        try {
            node = InvokaNode.start(ConfigFactory.empty(), Wiring.defaults());
            stopOnSignals(node.system());
        } catch (Exception e) {
            System.err.println("Invoka could not start: " + e);
            System.exit(1);
            return;
        }
        String host = node.address().getAddress().isAnyLocalAddress() ? "localhost" : node.address().getHostString();
        System.out.printf("Invoka listening on http://%s:%d (data in %s, region %s)%n",
                host, node.port(), node.settings().dataDir(), node.settings().region());
    }
}
