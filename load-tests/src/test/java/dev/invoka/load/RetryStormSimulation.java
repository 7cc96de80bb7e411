package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A retry storm: Event invokes on {@code flaky} functions that fail half of their attempts
 * ({@code FAIL_RATE}); the server retries each failed event twice (after 60 s and 120 s, times
 * {@code INVOKA_TIME_SCALE}) and sends what still fails to the OnFailure destination, an echo function.
 * Meant for a node started with {@code INVOKA_TIME_SCALE=0.01} (retries after 0.6 s and 1.2 s).
 *
 * <p>Read three things. The 202s: accepts must not fail or slow down while retries are scheduled and
 * run beside them. The drain (the "queue drain" lines printed, group {@code drain}): after the load,
 * every queue must empty within {@code drainTimeout}; the time it took is how long the last retries and
 * records needed to settle. The server counters printed at the end: with a fail rate p, each event costs about
 * 1 + p + p² attempts (1.75 at 0.5) and p³ of the events (12.5%) reach OnFailure. Properties
 * ({@code -Dinvoka.<name>}): {@code rate} (200 per second), {@code duration} (30 s), {@code functions}
 * (20), {@code failRate} (0.5), {@code drainTimeout} (120 s), {@code region} (us-east-1: the node's
 * {@code INVOKA_REGION}, for the destination's ARN).
 */
public class RetryStormSimulation extends Simulation {

    private final String prefix = LoadConfig.runPrefix("retry");
    private final List<String> functions = Invokes.names(prefix, LoadConfig.integer("functions", 20));
    private final String sink = prefix + "failures";
    private final double rate = LoadConfig.decimal("rate", 200);

    {
        ScenarioBuilder storm = scenario("Event on flaky functions").feed(Invokes.randomFunction(functions))
                .exec(Invokes.event("invoke Event", StringBody("{\"source\":\"gatling\",\"simulation\":\"retry\"}")));
        List<String> watched = new ArrayList<>(functions);
        watched.add(sink);
        setUp(storm.injectOpen(constantUsersPerSec(rate).during(LoadConfig.seconds("duration", 30)))
                .andThen(QueueDrain.watch(watched, LoadConfig.seconds("drainTimeout", 120), Duration.ofSeconds(1))
                        .injectOpen(atOnceUsers(1))))
                .protocols(Invokes.protocol())
                .assertions(
                        global().failedRequests().percent().lt(1.0),
                        details("invoke Event").failedRequests().percent().lt(1.0),
                        QueueDrain.assertion());
    }

    @Override
    public void before() {
        LambdaAdmin admin = new LambdaAdmin(LoadConfig.endpoints().get(0));
        admin.createFunction(sink, "echo", Map.of());
        String failRate = LoadConfig.text("failRate", "0.5");
        String destination = "arn:aws:lambda:" + LoadConfig.text("region", "us-east-1") + ":000000000000:function:" + sink;
        for (String name : functions) {
            admin.createFunction(name, "flaky", Map.of("FAIL_RATE", failRate));
            admin.putEventInvokeConfig(name, Map.of("MaximumRetryAttempts", 2,
                    "DestinationConfig", Map.of("OnFailure", Map.of("Destination", destination))));
        }
        System.out.printf("retry storm: %d flaky functions %s* (FAIL_RATE=%s), OnFailure %s, %.0f/s%n",
                functions.size(), prefix, failRate, sink, rate);
    }

    @Override
    public void after() {
        LambdaAdmin.logCounters("retry storm", prefix);
    }
}
