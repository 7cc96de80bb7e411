package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Synchronous invoke latency: RequestResponse invokes of {@code echo} functions at a constant arrival
 * rate; each response must be 200, without {@code X-Amz-Function-Error}, and echo the request's own id.
 *
 * <p>Read the percentiles of the request {@code invoke RequestResponse} (the warm-up has its own name
 * and is left out): they are the full round trip through the HTTP route, the function's entity (through
 * sharding), a slot, the runtime and back, with nothing journaled. Properties ({@code -Dinvoka.<name>}):
 * {@code rate} (200 per second), {@code duration} (60 s), {@code warmup} (15 s), {@code functions} (10),
 * {@code maxP99Ms} (1000: the asserted p99).
 */
public class SyncInvokeLatencySimulation extends Simulation {

    private final String prefix = LoadConfig.runPrefix("sync");
    private final List<String> functions = Invokes.names(prefix, LoadConfig.integer("functions", 10));
    private final double rate = LoadConfig.decimal("rate", 200);

    {
        ScenarioBuilder warmUp = scenario("warm-up").feed(Invokes.randomFunction(functions)).feed(ids())
                .exec(invoke("warm-up RequestResponse"));
        ScenarioBuilder measured = scenario("RequestResponse").feed(Invokes.randomFunction(functions)).feed(ids())
                .exec(invoke("invoke RequestResponse"));
        setUp(warmUp.injectOpen(rampUsersPerSec(1).to(rate).during(LoadConfig.seconds("warmup", 15)))
                .andThen(measured.injectOpen(constantUsersPerSec(rate).during(LoadConfig.seconds("duration", 60)))))
                .protocols(Invokes.protocol())
                .assertions(
                        global().failedRequests().percent().lt(1.0),
                        details("invoke RequestResponse").failedRequests().percent().lt(1.0),
                        details("invoke RequestResponse").responseTime().percentile(99.0)
                                .lt(LoadConfig.integer("maxP99Ms", 1000)));
    }

    private static HttpRequestActionBuilder invoke(String name) {
        return http(name).post(Invokes.PATH).header("X-Amz-Invocation-Type", "RequestResponse")
                .body(StringBody("{\"id\":\"#{id}\",\"source\":\"gatling\"}"))
                .check(status().is(200), header("X-Amz-Function-Error").notExists(),
                        header("X-Amz-Executed-Version").is("$LATEST"), jmesPath("id").isEL("#{id}"));
    }

    private static Iterator<Map<String, Object>> ids() {
        return Stream.generate(() -> Map.<String, Object>of("id", UUID.randomUUID().toString())).iterator();
    }

    @Override
    public void before() {
        LambdaAdmin admin = new LambdaAdmin(LoadConfig.endpoints().get(0));
        functions.forEach(name -> admin.createFunction(name, "echo", Map.of()));
        System.out.printf("sync latency: %d echo functions %s*, %.0f/s%n", functions.size(), prefix, rate);
    }

    @Override
    public void after() {
        LambdaAdmin.logCounters("sync latency", prefix);
    }
}
