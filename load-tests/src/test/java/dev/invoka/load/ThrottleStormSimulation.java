package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A throttle storm: many more Event invokes than the functions can run. Each function has reserved
 * concurrency 1 and runs {@code sleep} ({@code SLEEP_MS}, default 100 ms), so {@code functions}
 * functions finish at most functions × 1000 / SLEEP_MS events a second (100/s by default) while
 * {@code rate} (300/s) arrive: the rest wait in the queues for a free slot.
 *
 * <p>Read the accepts (they must stay 202 and fast while the backlog grows: accepting does not wait for
 * a slot) and the drain (group {@code drain} and the printed "queue drain" lines): the backlog must
 * shrink at about the functions' capacity and reach 0 within {@code drainTimeout}. A drain much slower
 * than the capacity means slots are not handed on promptly when an attempt ends. Properties
 * ({@code -Dinvoka.<name>}): {@code rate} (300 per second), {@code duration} (20 s), {@code functions}
 * (10), {@code sleepMs} (100), {@code drainTimeout} (180 s).
 */
public class ThrottleStormSimulation extends Simulation {

    private final String prefix = LoadConfig.runPrefix("throttle");
    private final List<String> functions = Invokes.names(prefix, LoadConfig.integer("functions", 10));
    private final double rate = LoadConfig.decimal("rate", 300);

    {
        ScenarioBuilder storm = scenario("Event on busy functions").feed(Invokes.randomFunction(functions))
                .exec(Invokes.event("invoke Event", StringBody("{\"source\":\"gatling\",\"simulation\":\"throttle\"}")));
        setUp(storm.injectOpen(constantUsersPerSec(rate).during(LoadConfig.seconds("duration", 20)))
                .andThen(QueueDrain.watch(functions, LoadConfig.seconds("drainTimeout", 180), Duration.ofSeconds(1))
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
        String sleepMs = Integer.toString(LoadConfig.integer("sleepMs", 100));
        for (String name : functions) {
            admin.createFunction(name, "sleep", Map.of("SLEEP_MS", sleepMs));
            admin.putConcurrency(name, 1);
        }
        System.out.printf("throttle storm: %d sleep functions %s* (SLEEP_MS=%s, reserved concurrency 1), %.0f/s%n",
                functions.size(), prefix, sleepMs, rate);
    }

    @Override
    public void after() {
        LambdaAdmin.logCounters("throttle storm", prefix);
    }
}
