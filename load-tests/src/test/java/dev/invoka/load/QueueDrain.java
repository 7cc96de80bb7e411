package dev.invoka.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A final scenario that watches the functions' queues drain after the load: one virtual user reads
 * {@code GET /_invoka/functions/{name}/queue} of every function, sums {@code depth}, {@code inFlight}
 * and {@code scheduledRetries}, and polls again every {@code interval} until the sum is 0 or
 * {@code timeout} has passed. It prints the totals as it goes and the time the drain took.
 *
 * <p>The drain time is the last printed line ("all queues empty N s after the load ended"). The polls
 * run inside the group {@value #GROUP} (requests {@code queue}); the group fails (the user is marked
 * failed) when the queues are not empty by the timeout, which {@link #assertion()} turns into a failed
 * run. The group's time in the report is the sum of the polls' response times, not the drain time.
 */
final class QueueDrain {

    static final String GROUP = "drain";
    private static final String[] FIELDS = {"depth", "inFlight", "scheduledRetries", "undeliveredRecords"};

    private QueueDrain() {}

    static ScenarioBuilder watch(List<String> functions, Duration timeout, Duration interval) {
        return scenario("queue drain")
                .exec(s -> s.set("startMs", System.currentTimeMillis()).set("round", 0))
                .group(GROUP).on(
                        asLongAs(s -> !s.contains("pending") || s.getLong("pending") > 0 && elapsed(s) < timeout.toMillis())
                                .on(exec(round(functions))
                                        .exec(QueueDrain::report)
                                        .doIf(s -> s.getLong("pending") > 0).then(pause(interval)))
                                .exec(QueueDrain::verdict));
    }

    /** The drain must have finished within its timeout (a failed group counts as a failed request). */
    static Assertion assertion() {
        return details(GROUP).failedRequests().count().is(0L);
    }

    private static ChainBuilder round(List<String> functions) {
        ChainBuilder reset = exec(s -> {
            Session next = s;
            for (String field : FIELDS) next = next.set("sum." + field, 0L);
            return next.set("round", s.getInt("round") + 1);
        });
        return reset.foreach(new ArrayList<Object>(functions), "fn").on(
                exec(s -> s.removeAll(FIELDS))
                        .exec(http("queue").get("/_invoka/functions/#{fn}/queue").check(status().is(200),
                                jmesPath("depth").ofLong().saveAs("depth"),
                                jmesPath("inFlight").ofLong().saveAs("inFlight"),
                                jmesPath("scheduledRetries").ofLong().saveAs("scheduledRetries"),
                                jmesPath("undeliveredRecords").ofLong().saveAs("undeliveredRecords")))
                        .exec(QueueDrain::add));
    }

    private static Session add(Session s) {
        Session next = s;
        for (String field : FIELDS) {
            if (s.contains(field)) next = next.set("sum." + field, s.getLong("sum." + field) + s.getLong(field));
        }
        return next.set("pending", next.getLong("sum.depth") + next.getLong("sum.inFlight")
                + next.getLong("sum.scheduledRetries"));
    }

    private static Session report(Session s) {
        if (s.getInt("round") % 5 == 1 || s.getLong("pending") == 0) {
            System.out.printf("queue drain: %5.1f s, %s%n", elapsed(s) / 1000.0, totals(s));
        }
        return s;
    }

    private static Session verdict(Session s) {
        if (s.getLong("pending") == 0) {
            System.out.printf("queue drain: all queues empty %.1f s after the load ended%n", elapsed(s) / 1000.0);
            return s;
        }
        System.out.printf("queue drain: NOT drained after %.1f s: %s%n", elapsed(s) / 1000.0, totals(s));
        return s.markAsFailed();
    }

    private static String totals(Session s) {
        StringBuilder text = new StringBuilder();
        for (String field : FIELDS) text.append(field).append('=').append(s.getLong("sum." + field)).append(' ');
        return text.toString().trim();
    }

    private static long elapsed(Session s) {
        return System.currentTimeMillis() - s.getLong("startMs");
    }
}
