package dev.invoka.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A node for one test class, on a free port with its journal in a fresh folder, and the AWS SDK's
 * Lambda client pointed at it: {@code @RegisterExtension static final NodeExtension node = new NodeExtension();}
 */
public final class NodeExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    public static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    private final Map<String, Object> overrides;
    private Path data;
    private InvokaNode node;
    private LambdaClient lambda;

    public NodeExtension() {
        this(Map.of());
    }

    /** @param overrides HOCON keys for the node, e.g. {@code invoka.time-scale} */
    public NodeExtension(Map<String, Object> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("invoka-test");
        node = TestNode.start(data, overrides);
        lambda = TestNode.lambda(node);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        lambda.close();
        node.close();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    public LambdaClient lambda() {
        return lambda;
    }

    public int port() {
        return node.port();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + node.port() + path;
    }
}
