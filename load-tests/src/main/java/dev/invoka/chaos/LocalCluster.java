package dev.invoka.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N local nodes on one journal: free HTTP, remoting and management ports picked once and kept across
 * restarts; the first node (or the first two, from three nodes on) are the seed nodes. Without a
 * PostgreSQL URL there can be one node only, on an embedded H2 journal in the report folder.
 *
 * <p>Contract: {@link #start()} starts the nodes one after the other and returns when all serve;
 * {@link #close()} stops every node it started (SIGTERM, then SIGKILL), whatever state it is in.
 */
final class LocalCluster implements AutoCloseable {

    /** The journal: a PostgreSQL URL and credentials, or null for H2 in {@code dataDir}. */
    record Journal(String url, String user, String password) {}

    private final List<NodeProcess> nodes = new ArrayList<>();

    LocalCluster(int count, Journal journal, double timeScale, NodeProcess.Launch launch, Path dir,
                 Duration startTimeout) throws IOException {
        if (count > 1 && journal == null) throw new IllegalArgumentException("several nodes need PostgreSQL");
        int[][] ports = new int[count][];
        for (int i = 0; i < count; i++) ports[i] = new int[] {freePort(), freePort(), freePort()};
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(count, count >= 3 ? 2 : 1); i++) seeds.add("127.0.0.1:" + ports[i][1]);
        for (int i = 0; i < count; i++) {
            String name = "node-" + i;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("INVOKA_HTTP_PORT", Integer.toString(ports[i][0]));
            env.put("INVOKA_TIME_SCALE", Double.toString(timeScale));
            env.put("INVOKA_CLUSTER_HOST", "127.0.0.1");
            env.put("INVOKA_CLUSTER_PORT", Integer.toString(ports[i][1]));
            env.put("INVOKA_MANAGEMENT_PORT", Integer.toString(ports[i][2]));
            env.put("INVOKA_SEED_NODES", String.join(",", seeds));
            env.put("INVOKA_LOG_LEVEL", "WARN");
            Path data = dir.resolve(name + "-data");
            Files.createDirectories(data);
            env.put("INVOKA_DATA_DIR", data.toString());
            if (journal != null) {
                env.put("INVOKA_DB_URL", journal.url());
                env.put("INVOKA_DB_USER", journal.user());
                env.put("INVOKA_DB_PASSWORD", journal.password());
            }
            nodes.add(new NodeProcess(name, ports[i][0], ports[i][2], env, launch, dir.resolve(name + ".log"), startTimeout));
        }
    }

    void start() throws IOException, InterruptedException {
        for (NodeProcess n : nodes) n.start();
    }

    List<NodeProcess> nodes() {
        return nodes;
    }

    List<String> endpoints() {
        return nodes.stream().map(NodeProcess::endpoint).toList();
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            try {
                n.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
