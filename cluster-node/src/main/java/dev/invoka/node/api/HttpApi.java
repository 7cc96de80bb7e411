package dev.invoka.node.api;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import dev.invoka.node.Settings;
import dev.invoka.node.function.Functions;
import java.time.Clock;
import dev.invoka.node.metrics.LambdaMetrics;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Every HTTP route of a node: the Lambda API, Invoka's own {@code /_invoka/...} endpoints, with failures
 * and unknown routes answered once, in AWS's error shape ({@link ApiErrors}).
 */
public final class HttpApi {

    private final LambdaApi lambda;
    private final InvokeApi invoke;
    private final EventInvokeConfigApi invokeConfigs;
    private final AdminApi admin;

    public HttpApi(Functions functions, Settings settings, Clock clock, LambdaMetrics metrics) {
        this.lambda = new LambdaApi(functions, settings, clock);
        this.invoke = new InvokeApi(functions, settings);
        this.invokeConfigs = new EventInvokeConfigApi(functions, settings, clock);
        this.admin = new AdminApi(functions, settings, metrics);
    }

    public Route route() {
        return handleExceptions(ApiErrors.EXCEPTIONS, () -> handleRejections(ApiErrors.REJECTIONS, () -> concat(
                lambda.route(invoke::route),
                invokeConfigs.route(),
                admin.route())));
    }
}
