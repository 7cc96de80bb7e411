package dev.invoka.node;

import com.typesafe.config.ConfigFactory;

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

    public static void main(String[] args) throws Exception {
        commonPoolOfAtLeastTwo();
        InvokaNode node;
        try {
            node = InvokaNode.start(ConfigFactory.empty(), Wiring.defaults());
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
