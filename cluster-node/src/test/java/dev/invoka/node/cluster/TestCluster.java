package dev.invoka.node.cluster;

import dev.invoka.node.InvokaNode;
import dev.invoka.node.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Several nodes in this JVM (one ActorSystem each) sharing one PostgreSQL database, the first one the seed node,
 * all started at the same time (as a rolling deployment or a fresh cluster would). Each has management on.
 */
public final class TestCluster implements AutoCloseable {

    public final Map<String, String> db;
    private final List<InvokaNode> nodes = new CopyOnWriteArrayList<>();
    private final List<Integer> managementPorts = new ArrayList<>();
    private final Map<InvokaNode, LambdaClient> clients = new HashMap<>();
    private final Map<String, Object> extra;
    private final String seed;

    private TestCluster(Map<String, String> db, Map<String, Object> extra, String seed) {
        this.db = db;
        this.extra = extra;
        this.seed = seed;
    }

    public static TestCluster start(int size, Map<String, Object> extra) throws Exception {
        TestCluster cluster = new TestCluster(Postgres.newDatabase(), extra, "127.0.0.1:" + freePort());
        List<CompletableFuture<InvokaNode>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int remoting = i == 0 ? Integer.parseInt(cluster.seed.substring(cluster.seed.indexOf(':') + 1)) : freePort();
            int management = freePort();
            cluster.managementPorts.add(management);
            starting.add(CompletableFuture.supplyAsync(() -> cluster.startNode(remoting, management)));
        }
        for (CompletableFuture<InvokaNode> f : starting) cluster.nodes.add(f.join());
        cluster.awaitUp(size, Duration.ofSeconds(60));
        return cluster;
    }

    /** Adds one more node to the cluster and waits until every node sees it Up. */
    public InvokaNode join() throws Exception {
        int management = freePort();
        managementPorts.add(management);
        InvokaNode node = startNode(freePort(), management);
        nodes.add(node);
        awaitUp(nodes.size(), Duration.ofSeconds(60));
        return node;
    }

    private InvokaNode startNode(int remoting, int management) {
        try {
            Map<String, Object> config = new HashMap<>(Postgres.asConfig(db));
            config.put("invoka.cluster.port", remoting);
            config.put("invoka.cluster.seed-nodes", seed);
            config.put("invoka.cluster.management-port", management);
            config.putAll(extra);
            return TestNode.start(Files.createTempDirectory("invoka-cluster"), config);
        } catch (Exception e) {
            throw new IllegalStateException("a node did not start", e);
        }
    }

    /** Waits until every running node sees {@code size} members Up. */
    public void awaitUp(int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = nodes.stream().allMatch(n -> {
                int up = 0;
                for (var m : Cluster.get(n.system()).state().getMembers()) if (m.status() == MemberStatus.up()) up++;
                return up == size;
            });
            if (all) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the cluster did not reach " + size + " members Up in " + timeout);
    }

    public InvokaNode node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return nodes.size();
    }

    public int managementPort(int i) {
        return managementPorts.get(i);
    }

    public synchronized LambdaClient lambda(int i) {
        return clients.computeIfAbsent(nodes.get(i), TestNode::lambda);
    }

    public String url(int i, String path) {
        return "http://127.0.0.1:" + nodes.get(i).port() + path;
    }

    @Override
    public void close() throws Exception {
        clients.values().forEach(LambdaClient::close);
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (InvokaNode n : nodes) stopping.add(CompletableFuture.runAsync(() -> {
            try {
                n.close();
            } catch (Exception ignored) {
                // already stopped by the test
            }
        }));
        stopping.forEach(CompletableFuture::join);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
