package dev.invoka.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lambda's CloudWatch metrics (docs/lambda-spec.md §8) per function, exported in Prometheus text at
 * {@code /metrics}: counters {@code lambda_<Name>_total{function_name=...}}, the event age as a summary in
 * milliseconds, and gauges for concurrent executions and queue depth. One instance per node; thread-safe.
 */
public final class LambdaMetrics {

    private final PrometheusMeterRegistry registry;
    /**
     * Metric name, then function name: both strings keep their hash, so the accept path's three updates look
     * up without building a key (a concatenated key showed in profiles of the accept path).
     */
    private final Map<String, Map<String, AtomicLong>> gauges = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public LambdaMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public LambdaMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    public void asyncEventReceived(String function) { count("AsyncEventsReceived", function); }

    public void asyncEventDropped(String function) { count("AsyncEventsDropped", function); }

    public void invocation(String function) { count("Invocations", function); }

    public void error(String function) { count("Errors", function); }

    public void throttle(String function) { count("Throttles", function); }

    public void destinationDeliveryFailure(String function) { count("DestinationDeliveryFailures", function); }

    public void deadLetterError(String function) { count("DeadLetterErrors", function); }

    /** The age of an event when an attempt starts (AsyncEventAge), in milliseconds. */
    public void asyncEventAge(String function, long ageMs) {
        summaries.computeIfAbsent(function, f -> DistributionSummary.builder("lambda.AsyncEventAge")
                .baseUnit("milliseconds").tag("function_name", f).register(registry)).record(ageMs);
    }

    /**
     * Beyond AWS: time from an accepted event being journaled (its 202 going out) to its first attempt
     * calling the runtime, for events that found a free slot. Quantiles over the last minute.
     */
    public void dispatchDelay(String function, long nanos) {
        timers.computeIfAbsent(function, f -> Timer.builder("invoka.DispatchDelay").tag("function_name", f)
                .publishPercentiles(0.5, 0.9, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1))
                .distributionStatisticBufferLength(2).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void concurrentExecutions(String function, int value) {
        gauge("lambda.ConcurrentExecutions", function).set(value);
    }

    /** Events waiting or running, retries included. */
    public void queueDepth(String function, int value) {
        gauge("invoka.QueueDepth", function).set(value);
    }

    /** The current total of a counter, e.g. {@code total("Invocations", "f")}; 0 when never counted. */
    public long total(String metric, String function) {
        Counter c = registry.find("lambda." + metric).tag("function_name", function).counter();
        return c == null ? 0 : (long) c.count();
    }

    private void count(String metric, String function) {
        Map<String, Counter> byFunction = counters.computeIfAbsent(metric, m -> new ConcurrentHashMap<>());
        Counter counter = byFunction.get(function);
        if (counter == null) {
            counter = byFunction.computeIfAbsent(function, f ->
                    Counter.builder("lambda." + metric).tag("function_name", f).register(registry));
        }
        counter.increment();
    }

    private AtomicLong gauge(String metric, String function) {
        Map<String, AtomicLong> byFunction = gauges.computeIfAbsent(metric, m -> new ConcurrentHashMap<>());
        AtomicLong value = byFunction.get(function);
        if (value != null) return value;
        return byFunction.computeIfAbsent(function, f -> {
            AtomicLong created = new AtomicLong();
            Gauge.builder(metric, created, AtomicLong::get).tag("function_name", f).register(registry);
            return created;
        });
    }
}
