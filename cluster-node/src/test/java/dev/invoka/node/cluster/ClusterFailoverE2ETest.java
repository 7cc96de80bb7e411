package dev.invoka.node.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoka.node.Collector;
import dev.invoka.node.NodeProcess;
import dev.invoka.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ServiceException;

/**
 * Three node processes on one PostgreSQL; kill -9 one of them while its functions have queues: they move to
 * the other two and every accepted event still reaches its outcome. Prints the longest pause in dispatch
 * of any function (the failover time of the moved ones) and the duplicate attempts the kill caused.
 */
class ClusterFailoverE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";

    @TempDir
    Path data;

    @Test
    void killingANodeLosesNoAcceptedEvent() throws Exception {
        Map<String, String> db = Postgres.newDatabase();
        int[] remoting = {TestCluster.freePort(), TestCluster.freePort(), TestCluster.freePort()};
        String seeds = "127.0.0.1:" + remoting[0] + ",127.0.0.1:" + remoting[1];
        List<NodeProcess> nodes = new ArrayList<>();
        try (Collector collector = new Collector()) {
            for (int i = 0; i < 3; i++) {
                Map<String, String> env = new HashMap<>(db);
                env.put("INVOKA_TIME_SCALE", "0.01");
                env.put("INVOKA_CLUSTER_PORT", Integer.toString(remoting[i]));
                env.put("INVOKA_SEED_NODES", seeds);
                Path dir = Files.createDirectories(data.resolve("n" + i));
                nodes.add(NodeProcess.start(dir, env));
            }
            List<LambdaClient> clients = nodes.stream().map(n -> TestNode.lambda(n.url())).toList();
            List<String> names = new ArrayList<>();
            for (int f = 0; f < 6; f++) {
                String name = "moving-" + f;
                names.add(name);
                LambdaClient lambda = clients.get(f % 3);
                awaitCreated(lambda, name, collector.url("/attempts/slow-300"));
                lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(2));
                lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onSuccess(s -> s.destination(collector.url("/records")))));
            }
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 240; i++) accepted.add(invoke(clients.get(i % 3), names.get(i % 6)));
            long killedAt = System.currentTimeMillis();
            nodes.get(2).kill();
            // Until the dead node is downed (about 10 s), an invoke of one of its functions times out with a 500
            // ServiceException, which AWS SDKs retry: so does this client.
            int retried = 0;
            for (int i = 0; i < 60; i++) {
                while (true) {
                    try {
                        accepted.add(invoke(clients.get(i % 2), names.get(i % 6)));
                        break;
                    } catch (ServiceException e) {
                        assertEquals(500, e.statusCode());
                        retried++;
                    }
                }
            }

            Set<String> ids = Set.copyOf(accepted);
            List<JsonNode> records = collector.awaitRecords(rs -> rs.stream()
                    .map(r -> r.at("/requestContext/requestId").asText()).toList().containsAll(ids), Duration.ofSeconds(120));
            Map<String, Integer> attempts = new HashMap<>();
            Map<String, Long> firstAfterKill = new HashMap<>();
            for (Collector.Hit hit : collector.hits("/attempts/")) {
                attempts.merge(hit.requestId(), 1, Integer::sum);
                if (hit.atMs() > killedAt) firstAfterKill.putIfAbsent(hit.body().path("fn").asText(), hit.atMs());
            }
            long longestGap = firstAfterKill.values().stream().mapToLong(t -> t - killedAt).max().orElse(-1);
            long duplicates = attempts.values().stream().mapToLong(c -> c - 1).sum();
            System.out.printf("failover: %d accepted, %d records, dispatch resumed for every function within %d ms "
                    + "of the kill, %d duplicate attempts, %d client retries, 0 lost%n", ids.size(), records.size(), longestGap, duplicates, retried);
            assertEquals(names.size(), firstAfterKill.size(), "every function dispatched again after the kill");
            assertTrue(records.size() >= ids.size());
            collector.maxInFlightByFunction().forEach((fn, max) ->
                    assertTrue(max <= 2, fn + " ran " + max + " attempts at once across the move, reserved 2"));
            clients.forEach(LambdaClient::close);
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    private static String invoke(LambdaClient lambda, String name) {
        return lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"fn\":\"" + name + "\"}"))).responseMetadata().requestId();
    }

    private static void awaitCreated(LambdaClient lambda, String name, String url) {
        lambda.createFunction(b -> b.functionName(name).runtime("http").handler(url).role(ROLE).timeout(10));
    }
}
