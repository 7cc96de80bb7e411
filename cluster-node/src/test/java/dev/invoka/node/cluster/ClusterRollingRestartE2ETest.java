package dev.invoka.node.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoka.node.Collector;
import dev.invoka.node.NodeProcess;
import dev.invoka.node.TestNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * A rolling restart of three node processes on one PostgreSQL under a steady load of Event invokes: each
 * node in turn gets SIGTERM, goes unready while it still serves, hands its functions over and exits 0,
 * then starts again on the same ports before the next one stops. The client sends each invoke to the
 * nodes round-robin, as a load balancer would, and moves to the next node on what clients retry
 * (connection refused or reset, 5xx, 429). Nothing accepted is lost, no request fails otherwise, and
 * no function ever runs more attempts at once than its reserved concurrency.
 */
class ClusterRollingRestartE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final int FUNCTIONS = 6;
    static final int RESERVED = 2;

    @TempDir
    Path data;

    @Test
    void aRollingRestartUnderLoadLosesNothingAndFailsNothingUnretried() throws Exception {
        Map<String, String> db = Postgres.newDatabase();
        int n = 3;
        int[] remoting = new int[n];
        int[] management = new int[n];
        for (int i = 0; i < n; i++) {
            remoting[i] = TestCluster.freePort();
            management[i] = TestCluster.freePort();
        }
        String seeds = "127.0.0.1:" + remoting[0] + ",127.0.0.1:" + remoting[1];
        NodeProcess[] nodes = new NodeProcess[n];
        AtomicBoolean loading = new AtomicBoolean(true);
        try (Collector collector = new Collector()) {
            for (int i = 0; i < n; i++) {
                Map<String, String> env = new HashMap<>(db);
                env.put("INVOKA_TIME_SCALE", "0.01");
                env.put("INVOKA_CLUSTER_PORT", Integer.toString(remoting[i]));
                env.put("INVOKA_SEED_NODES", seeds);
                env.put("INVOKA_MANAGEMENT_PORT", Integer.toString(management[i]));
                env.put("INVOKA_SHUTDOWN_DRAIN", "1s");
                nodes[i] = NodeProcess.start(Files.createDirectories(data.resolve("n" + i)), env);
            }
            for (int i = 0; i < n; i++) awaitReady(management[i], Duration.ofSeconds(60));
            List<LambdaClient> clients = new ArrayList<>();
            for (NodeProcess node : nodes) clients.add(TestNode.lambda(node.url()));
            List<String> names = new ArrayList<>();
            for (int f = 0; f < FUNCTIONS; f++) {
                String name = "rolling-" + f;
                names.add(name);
                LambdaClient lambda = clients.get(f % n);
                lambda.createFunction(b -> b.functionName(name).runtime("http")
                        .handler(collector.url("/attempts/slow-200")).role(ROLE).timeout(10));
                lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(RESERVED));
                lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onSuccess(s -> s.destination(collector.url("/records")))));
            }

            // About 40 invokes a second: two thirds of what 6 functions × 2 slots × 5 attempts a second take.
            List<String> accepted = new CopyOnWriteArrayList<>();
            Map<String, Integer> retried = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread load = new Thread(() -> {
                int next = 0;
                for (int i = 0; loading.get(); i++) {
                    String name = names.get(i % FUNCTIONS);
                    while (true) {
                        LambdaClient lambda = clients.get(next++ % n);
                        try {
                            accepted.add(lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                                    .payload(SdkBytes.fromUtf8String("{\"fn\":\"" + name + "\"}")))
                                    .responseMetadata().requestId());
                            break;
                        } catch (SdkServiceException e) {
                            if (e.statusCode() < 500 && e.statusCode() != 429) {
                                failures.add(e.statusCode() + " " + e.getMessage());
                                break;
                            }
                            retried.merge("HTTP " + e.statusCode(), 1, Integer::sum);
                        } catch (SdkClientException e) {
                            retried.merge("no answer", 1, Integer::sum);
                        }
                    }
                    sleep(20);
                }
            }, "load");
            load.start();

            List<String> stops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sleep(3_000);
                int acceptedBefore = accepted.size();
                long t0 = System.nanoTime();
                nodes[i].signalTerm();
                // Readiness goes false first, while the node still serves (INVOKA_SHUTDOWN_DRAIN).
                boolean unreadyWhileAlive = false;
                while (nodes[i].isAlive() && !unreadyWhileAlive) {
                    int status = readyStatus(management[i]); // Pekko Management answers 500 when not ready
                    unreadyWhileAlive = status != 200 && status != -1;
                    if (!unreadyWhileAlive) sleep(20);
                }
                assertTrue(unreadyWhileAlive, "node " + i + ": /ready failed before the node went away");
                int code = nodes[i].awaitExit(Duration.ofSeconds(60));
                long stoppedMs = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(0, code, "node " + i + " exit code after SIGTERM: 0 once coordinated shutdown ran");
                nodes[i] = nodes[i].restart();
                awaitReady(management[i], Duration.ofSeconds(60));
                long backMs = (System.nanoTime() - t0) / 1_000_000;
                stops.add("node " + i + ": exited " + stoppedMs + " ms after SIGTERM, ready again after " + backMs
                        + " ms, " + (accepted.size() - acceptedBefore) + " accepted meanwhile");
            }
            sleep(3_000);
            loading.set(false);
            load.join();

            Set<String> ids = Set.copyOf(accepted);
            assertEquals(accepted.size(), ids.size(), "every accepted invoke has its own request id");
            List<JsonNode> records = collector.awaitRecords(rs -> rs.stream()
                    .map(r -> r.at("/requestContext/requestId").asText()).toList().containsAll(ids), Duration.ofSeconds(120));
            Map<String, Integer> attempts = new HashMap<>();
            for (Collector.Hit hit : collector.hits("/attempts/")) attempts.merge(hit.requestId(), 1, Integer::sum);
            long duplicateAttempts = attempts.values().stream().mapToLong(c -> c - 1).sum();
            System.out.printf("rolling restart: %d accepted, %d records, 0 lost, %d duplicate attempts, client retries %s,"
                    + " most attempts at once %d, per function %s%n  %s%n", ids.size(), records.size(), duplicateAttempts,
                    retried, collector.maxInFlight(), collector.maxInFlightByFunction(), String.join("\n  ", stops));
            assertEquals(List.of(), failures, "requests that failed with an error clients do not retry");
            assertTrue(ids.size() > 200, "the load ran through the restarts: " + ids.size());
            assertTrue(attempts.keySet().containsAll(ids));
            collector.maxInFlightByFunction().forEach((fn, max) ->
                    assertTrue(max <= RESERVED, fn + " ran " + max + " attempts at once, reserved " + RESERVED));
            clients.forEach(LambdaClient::close);
        } finally {
            loading.set(false);
            for (NodeProcess node : nodes) if (node != null) node.close();
        }
    }

    private static int readyStatus(int managementPort) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + managementPort + "/ready")
                    .toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2_000);
            return c.getResponseCode();
        } catch (IOException down) {
            return -1;
        }
    }

    private static void awaitReady(int managementPort, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readyStatus(managementPort) != 200) {
            if (System.nanoTime() > deadline) throw new AssertionError("not ready on " + managementPort + " in " + timeout);
            sleep(200);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
