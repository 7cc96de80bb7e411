package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Body;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Accept throughput: how many durable Event invokes (journaled, then 202) the server takes per second,
 * against DryRun invokes (204, the same route and entity lookup without the journal) in the same run.
 *
 * <p>After a warm-up that ramps up to the target rate sending both kinds (group {@code warm-up}, kept out of the figures), the DryRun
 * phase and then the Event phase each ramp the arrival rate up in {@code steps} equal levels to
 * {@code rate}, over {@code functions} functions picked at random. Read the report's groups
 * {@code DryRun} and {@code Event} (percentiles, counts) and the "responses per second" chart: while
 * responses per second follow the offered rate level by level, the server keeps up; where they flatten
 * and response times climb, that phase reached its capacity. The Event ÷ DryRun ratio at the same offered
 * rate is the price of durability.
 *
 * <p>{@code mode=stalled} (default) gives each function one slot held by a long sleep, so Event
 * invokes measure the accept path alone and the events pile up; {@code mode=echo} also runs every
 * event. Properties ({@code -Dinvoka.<name>}): {@code rate} (1000 per second), {@code steps} (4),
 * {@code duration} (40 s per phase), {@code warmup} (20 s), {@code functions} (100), {@code mode},
 * {@code maxP99Ms} (5000: the p99 bound asserted on each phase).
 */
public class AcceptThroughputSimulation extends Simulation {

    private final String prefix = LoadConfig.runPrefix("accept");
    private final List<String> functions = Invokes.names(prefix, LoadConfig.integer("functions", 100));
    private final boolean stalled = LoadConfig.text("mode", "stalled").equals("stalled");
    private final double rate = LoadConfig.decimal("rate", 1000);
    private final int steps = LoadConfig.integer("steps", 4);
    private final Duration level = LoadConfig.seconds("duration", 40).dividedBy(steps);
    private final Body body = StringBody("{\"source\":\"gatling\",\"simulation\":\"accept\"}");

    {
        ScenarioBuilder warmUp = scenario("warm-up").feed(Invokes.randomFunction(functions))
                .group("warm-up").on(exec(Invokes.dryRun("warm-up DryRun", body), Invokes.event("warm-up Event", body)));
        ScenarioBuilder dryRun = scenario("DryRun").feed(Invokes.randomFunction(functions))
                .group("DryRun").on(exec(Invokes.dryRun("invoke DryRun", body)));
        ScenarioBuilder event = scenario("Event").feed(Invokes.randomFunction(functions))
                .group("Event").on(exec(Invokes.event("invoke Event", body)));
        int maxP99 = LoadConfig.integer("maxP99Ms", 5000);

        setUp(warmUp.injectOpen(rampUsersPerSec(1).to(rate / 2).during(LoadConfig.seconds("warmup", 20)))
                .andThen(dryRun.injectOpen(stairs())
                        .andThen(event.injectOpen(stairs()))))
                .protocols(Invokes.protocol())
                .assertions(
                        global().failedRequests().percent().lt(1.0),
                        details("DryRun", "invoke DryRun").failedRequests().percent().lt(1.0),
                        details("Event", "invoke Event").failedRequests().percent().lt(1.0),
                        details("DryRun", "invoke DryRun").responseTime().percentile(99.0).lt(maxP99),
                        details("Event", "invoke Event").responseTime().percentile(99.0).lt(maxP99));
    }

    /** {@code steps} levels of rate/steps, 2·rate/steps ... rate users (requests) per second. */
    private OpenInjectionStep stairs() {
        return incrementUsersPerSec(rate / steps).times(steps).eachLevelLasting(level)
                .separatedByRampsLasting(Duration.ofSeconds(1)).startingFrom(rate / steps);
    }

    @Override
    public void before() {
        LambdaAdmin admin = new LambdaAdmin(LoadConfig.endpoints().get(0));
        for (String name : functions) {
            if (stalled) {
                admin.createFunction(name, "sleep", Map.of("SLEEP_MS", "3600000"));
                admin.putConcurrency(name, 1);
            } else {
                admin.createFunction(name, "echo", Map.of());
            }
        }
        System.out.printf("accept throughput: %d %s functions %s*, %.0f/s in %d steps of %d s per phase%n",
                functions.size(), stalled ? "stalled" : "echo", prefix, rate, steps, level.toSeconds());
    }

    @Override
    public void after() {
        LambdaAdmin.logCounters("accept throughput", prefix);
    }
}
