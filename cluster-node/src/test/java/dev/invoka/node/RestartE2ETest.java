package dev.invoka.node;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/** Functions and their settings survive a clean stop and a kill -9 of the node process. */
class RestartE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";

    @TempDir
    Path data;

    static LambdaClient client(String url) {
        return LambdaClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void killDashNineKeepsEveryFunctionAndSetting() throws Exception {
        try (NodeProcess first = NodeProcess.start(data, Map.of())) {
            try (LambdaClient lambda = client(first.url())) {
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    lambda.createFunction(b -> b.functionName("kept-" + n).runtime("builtin").handler("echo").role(ROLE)
                            .environment(e -> e.variables(Map.of("NUM", Integer.toString(n)))));
                }
                lambda.putFunctionConcurrency(b -> b.functionName("kept-3").reservedConcurrentExecutions(7));
                lambda.updateFunctionConfiguration(b -> b.functionName("kept-4").timeout(30));
                lambda.deleteFunction(b -> b.functionName("kept-5"));
            }
            first.kill();
        }
        try (NodeProcess second = NodeProcess.start(data, Map.of()); LambdaClient lambda = client(second.url())) {
            assertEquals(19, lambda.listFunctions(b -> b.maxItems(100)).functions().size());
            GetFunctionResponse three = lambda.getFunction(b -> b.functionName("kept-3"));
            assertEquals(7, three.concurrency().reservedConcurrentExecutions());
            assertEquals(Map.of("NUM", "3"), three.configuration().environment().variables());
            assertEquals(30, lambda.getFunctionConfiguration(b -> b.functionName("kept-4")).timeout());
            assertEquals("{\"x\":1}", lambda.invoke(b -> b.functionName("kept-19")
                    .payload(SdkBytes.fromUtf8String("{\"x\":1}"))).payload().asUtf8String());
            int exit = second.terminate();
            assertTrue(exit == 0 || exit == 143, "SIGTERM stops the node cleanly, exit " + exit);
        }
    }

    @Test
    void cleanRestartInTheSameJvmKeepsFunctions() throws Exception {
        try (InvokaNode node = TestNode.start(data); LambdaClient lambda = TestNode.lambda(node)) {
            lambda.createFunction(b -> b.functionName("again").runtime("builtin").handler("echo").role(ROLE));
        }
        try (InvokaNode node = TestNode.start(data); LambdaClient lambda = TestNode.lambda(node)) {
            assertEquals("echo", lambda.getFunction(b -> b.functionName("again")).configuration().handler());
            assertEquals(1, lambda.listFunctions().functions().size());
        }
    }
}
