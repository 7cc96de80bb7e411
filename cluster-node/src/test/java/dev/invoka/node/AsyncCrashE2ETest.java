package dev.invoka.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Kill -9 a node that holds a backlog, attempts in flight and scheduled retries; start it again:
 * every event that got a 202 reaches exactly one terminal outcome (its record arrives), with duplicates
 * possible only around the crash (counted, not failed on).
 */
class AsyncCrashE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    @TempDir
    Path data;

    @Test
    void everyAcceptedEventReachesAnOutcomeAcrossAKillDashNine() throws Exception {
        Map<String, String> env = Map.of("INVOKA_TIME_SCALE", "0.01");
        List<String> accepted = new ArrayList<>();
        try (Collector collector = new Collector()) {
            try (NodeProcess first = NodeProcess.start(data, env); LambdaClient lambda = RestartE2ETest.client(first.url())) {
                create(lambda, "sink", "http", collector.url("/records"), Map.of());
                create(lambda, "slow", "builtin", "sleep", Map.of("SLEEP_MS", "300"));
                create(lambda, "retrying", "builtin", "fail-then-succeed", Map.of("FAIL_TIMES", "1"));
                for (String name : List.of("slow", "retrying")) {
                    lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).destinationConfig(d -> d
                            .onSuccess(s -> s.destination(ARN + "sink")).onFailure(f -> f.destination(ARN + "sink"))));
                }
                lambda.putFunctionConcurrency(b -> b.functionName("slow").reservedConcurrentExecutions(2));
                for (int i = 0; i < 200; i++) {
                    String name = i % 4 == 0 ? "retrying" : "slow";
                    int n = i;
                    accepted.add(lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
                            .payload(SdkBytes.fromUtf8String("{\"n\":" + n + "}"))).responseMetadata().requestId());
                }
                first.kill();
            }
            int beforeRestart = collector.records().size();
            assertTrue(beforeRestart < accepted.size() / 2, "the kill left most work to do (" + beforeRestart + " done)");

            try (NodeProcess second = NodeProcess.start(data, env)) {
                Set<String> ids = Set.copyOf(accepted);
                List<JsonNode> records = collector.awaitRecords(rs -> rs.stream()
                        .map(r -> r.at("/requestContext/requestId").asText())
                        .collect(Collectors.toSet()).containsAll(ids), Duration.ofSeconds(120));
                Map<String, Integer> perId = new HashMap<>();
                for (JsonNode r : records) {
                    perId.merge(r.at("/requestContext/requestId").asText(), 1, Integer::sum);
                    assertEquals("Success", r.at("/requestContext/condition").asText(), r.toString());
                }
                long duplicates = perId.values().stream().filter(c -> c > 1).count();
                System.out.printf("crash test: %d accepted, %d records before the kill, %d records in all, "
                        + "%d ids with duplicate records, 0 lost%n", accepted.size(), beforeRestart, records.size(), duplicates);
                assertTrue(perId.keySet().containsAll(ids));
            }
        }
    }

    static void create(LambdaClient lambda, String name, String runtime, String handler, Map<String, String> env) {
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).handler(handler).role(ROLE).timeout(10)
                .environment(e -> e.variables(env)));
    }
}
