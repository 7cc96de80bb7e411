package dev.invoka.node.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoka.node.Collector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Three nodes in one JVM on one PostgreSQL database, started at the same time: any node serves any request
 * (the function lives on one of them, sharding routes), listing works from every node, Event invokes accepted
 * anywhere all reach their outcome exactly once, and reserved concurrency holds cluster-wide.
 */
class ClusterE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static TestCluster cluster;
    static Collector collector;

    @BeforeAll
    static void start() throws Exception {
        collector = new Collector();
        cluster = TestCluster.start(3, Map.of("invoka.time-scale", 0.01));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
        collector.close();
    }

    @Test
    void anyNodeServesTheApiAndListsEveryFunction() throws Exception {
        String name = "anywhere-" + UUID.randomUUID();
        cluster.lambda(0).createFunction(b -> b.functionName(name).runtime("builtin").handler("echo").role(ROLE));

        assertEquals(name, cluster.lambda(1).getFunction(b -> b.functionName(name)).configuration().functionName());
        for (int i = 0; i < cluster.size(); i++) {
            LambdaClient lambda = cluster.lambda(i);
            awaitTrue(() -> lambda.listFunctions().functions().stream().map(FunctionConfiguration::functionName)
                    .anyMatch(name::equals), "node " + i + " lists " + name);
        }
        String echoed = cluster.lambda(2).invoke(b -> b.functionName(name)
                .payload(SdkBytes.fromUtf8String("{\"from\":2}"))).payload().asUtf8String();
        assertEquals("{\"from\":2}", echoed);

        cluster.lambda(1).updateFunctionConfiguration(b -> b.functionName(name).timeout(7));
        assertEquals(7, cluster.lambda(2).getFunctionConfiguration(b -> b.functionName(name)).timeout());

        cluster.lambda(2).deleteFunction(b -> b.functionName(name));
        assertThrows(ResourceNotFoundException.class, () -> cluster.lambda(0).getFunction(b -> b.functionName(name)));
        for (int i = 0; i < cluster.size(); i++) {
            LambdaClient lambda = cluster.lambda(i);
            awaitTrue(() -> lambda.listFunctions().functions().stream().map(FunctionConfiguration::functionName)
                    .noneMatch(name::equals), "node " + i + " no longer lists " + name);
        }
    }

    @Test
    void eventsAcceptedOnAnyNodeReachTheirOutcomeExactlyOnce() throws Exception {
        String prefix = "spread-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String hook = collector.url("/records/" + prefix);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            String name = prefix + f;
            names.add(name);
            cluster.lambda(f % 3).createFunction(b -> b.functionName(name).runtime("builtin").handler("echo").role(ROLE));
            cluster.lambda((f + 1) % 3).putFunctionEventInvokeConfig(b -> b.functionName(name)
                    .destinationConfig(d -> d.onSuccess(s -> s.destination(hook))));
        }
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = names.get(i % names.size());
            int n = i;
            accepted.add(cluster.lambda(i % 3).invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"n\":" + n + "}"))).responseMetadata().requestId());
        }
        Map<String, Integer> perId = awaitOutcomes("/records/" + prefix, Set.copyOf(accepted), Duration.ofSeconds(60));
        perId.forEach((id, count) -> assertEquals(1, count, "records for " + id));
        assertEquals(Set.copyOf(accepted), perId.keySet());
    }

    @Test
    void reservedConcurrencyHoldsAcrossTheCluster() throws Exception {
        String name = "narrow-" + UUID.randomUUID();
        String hook = collector.url("/records/" + name);
        cluster.lambda(0).createFunction(b -> b.functionName(name).runtime("http")
                .handler(collector.url("/attempts/slow-150")).role(ROLE).timeout(10));
        cluster.lambda(1).putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(2));
        cluster.lambda(2).putFunctionEventInvokeConfig(b -> b.functionName(name)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(hook))));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            accepted.add(cluster.lambda(i % 3).invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{}"))).responseMetadata().requestId());
        }
        awaitOutcomes("/records/" + name, Set.copyOf(accepted), Duration.ofSeconds(60));
        assertEquals(2, collector.maxInFlight(), "two slots, used and never exceeded");
    }

    /** Waits until every id has a Success record under {@code path}; returns the records per id. */
    static Map<String, Integer> awaitOutcomes(String path, Set<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> perId = new HashMap<>();
        while (System.nanoTime() < deadline) {
            perId.clear();
            for (Collector.Hit hit : collector.hits(path)) {
                JsonNode r = hit.body();
                assertEquals("Success", r.at("/requestContext/condition").asText(), r.toString());
                perId.merge(r.at("/requestContext/requestId").asText(), 1, Integer::sum);
            }
            if (perId.keySet().containsAll(ids)) return perId;
            Thread.sleep(100);
        }
        fail((ids.size() - perId.size()) + " of " + ids.size() + " events have no record after " + timeout);
        return perId;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) return;
            Thread.sleep(50);
        }
        fail("not within 10 s: " + what);
    }
}
