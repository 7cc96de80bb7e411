package dev.invoka.node.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.invoka.node.NodeExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.*;

/** The management API driven by the AWS SDK for Java v2 against a started node. */
class FunctionApiE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        lambda = node.lambda();
    }


    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CreateFunctionResponse create(String name, String handler, Map<String, String> env) {
        return lambda.createFunction(b -> b.functionName(name).runtime("builtin").handler(handler).role(ROLE)
                .environment(e -> e.variables(env)));
    }

    @Test
    void createGetUpdateDelete() {
        String name = unique("lifecycle");
        CreateFunctionResponse created = lambda.createFunction(b -> b.functionName(name).runtime("builtin")
                .handler("echo").role(ROLE).timeout(7).memorySize(256).description("first")
                .code(c -> c.zipFile(SdkBytes.fromUtf8String("not really a zip"))));
        assertEquals(name, created.functionName());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:" + name, created.functionArn());
        assertEquals(7, created.timeout());
        assertEquals(256, created.memorySize());
        assertEquals("$LATEST", created.version());
        assertEquals(State.ACTIVE, created.state());
        assertTrue(created.lastModified().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"),
                created.lastModified());

        GetFunctionResponse got = lambda.getFunction(b -> b.functionName(name));
        assertEquals("first", got.configuration().description());
        assertEquals(created.revisionId(), got.configuration().revisionId());

        UpdateFunctionConfigurationResponse updated = lambda.updateFunctionConfiguration(b -> b.functionName(name)
                .description("second").environment(e -> e.variables(Map.of("KEY", "1"))));
        assertEquals("second", updated.description());
        assertEquals(Map.of("KEY", "1"), updated.environment().variables());
        assertEquals(7, updated.timeout(), "members absent from the update keep their value");
        assertNotEquals(created.revisionId(), updated.revisionId());

        GetFunctionConfigurationResponse config = lambda.getFunctionConfiguration(b -> b.functionName(name));
        assertEquals("second", config.description());

        DeleteFunctionResponse deleted = lambda.deleteFunction(b -> b.functionName(name));
        assertEquals(204, deleted.sdkHttpResponse().statusCode());
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getFunction(b -> b.functionName(name)));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:" + name,
                gone.awsErrorDetails().errorMessage());
    }

    @Test
    void createTwiceConflicts() {
        String name = unique("twice");
        create(name, "echo", Map.of());
        ResourceConflictException e = assertThrows(ResourceConflictException.class, () -> create(name, "echo", Map.of()));
        assertEquals(409, e.statusCode());
        assertEquals("Function already exist: " + name, e.awsErrorDetails().errorMessage());
    }

    @Test
    void listPagesWithMarker() {
        String prefix = unique("list");
        for (int i = 0; i < 5; i++) create(prefix + "-" + i, "echo", Map.of());
        List<String> seen = new java.util.ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListFunctionsResponse page = lambda.listFunctions(b -> b.maxItems(2).marker(m));
            page.functions().stream().map(FunctionConfiguration::functionName).filter(n -> n.startsWith(prefix))
                    .forEach(seen::add);
            marker = page.nextMarker();
            pages++;
        } while (marker != null && pages < 1000);
        assertEquals(List.of(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4"), seen);
        // the SDK paginator follows NextMarker the same way
        long all = lambda.listFunctionsPaginator(b -> b.maxItems(3)).functions().stream()
                .filter(f -> f.functionName().startsWith(prefix)).count();
        assertEquals(5, all);
    }

    @Test
    void listRejectsBadParameters() {
        LambdaException e = assertThrows(LambdaException.class, () -> lambda.listFunctions(b -> b.maxItems(0)));
        assertEquals(400, e.statusCode());
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    }

    @Test
    void reservedConcurrencyLifecycle() {
        String name = unique("conc");
        create(name, "echo", Map.of());
        GetFunctionConcurrencyResponse none = lambda.getFunctionConcurrency(b -> b.functionName(name));
        assertNull(none.reservedConcurrentExecutions());

        PutFunctionConcurrencyResponse put = lambda.putFunctionConcurrency(b -> b.functionName(name)
                .reservedConcurrentExecutions(5));
        assertEquals(5, put.reservedConcurrentExecutions());
        assertEquals(5, lambda.getFunctionConcurrency(b -> b.functionName(name)).reservedConcurrentExecutions());
        assertEquals(5, lambda.getFunction(b -> b.functionName(name)).concurrency().reservedConcurrentExecutions());

        GetAccountSettingsResponse account = lambda.getAccountSettings(b -> {});
        assertEquals(1000, account.accountLimit().concurrentExecutions());
        assertTrue(account.accountLimit().unreservedConcurrentExecutions() <= 995);

        InvalidParameterValueException tooMuch = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(950)));
        assertEquals("Specified ReservedConcurrentExecutions for function decreases account's "
                + "UnreservedConcurrentExecution below its minimum value of [100].", tooMuch.awsErrorDetails().errorMessage());

        assertEquals(204, lambda.deleteFunctionConcurrency(b -> b.functionName(name)).sdkHttpResponse().statusCode());
        assertNull(lambda.getFunctionConcurrency(b -> b.functionName(name)).reservedConcurrentExecutions());
    }

    @Test
    void concurrencyOnQualifiedArnIsRefused() {
        String name = unique("concq");
        create(name, "echo", Map.of());
        InvalidParameterValueException e = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionConcurrency(b -> b.functionName(
                        "arn:aws:lambda:us-east-1:000000000000:function:" + name + ":$LATEST").reservedConcurrentExecutions(1)));
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("This operation is permitted on Lambda functions only."));
    }

    @Test
    void missingFunctionsAreReportedLikeAws() {
        ResourceNotFoundException put = assertThrows(ResourceNotFoundException.class,
                () -> lambda.putFunctionConcurrency(b -> b.functionName("doesnotexist").reservedConcurrentExecutions(1)));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist:$LATEST",
                put.awsErrorDetails().errorMessage());
        ResourceNotFoundException delete = assertThrows(ResourceNotFoundException.class,
                () -> lambda.deleteFunction(b -> b.functionName("doesnotexist")));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:doesnotexist",
                delete.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class,
                () -> lambda.updateFunctionConfiguration(b -> b.functionName("doesnotexist").timeout(5)));
    }

    @Test
    void invalidCreateRequestsGetValidationErrors() {
        LambdaException badTimeout = assertThrows(LambdaException.class, () -> lambda.createFunction(b -> b
                .functionName(unique("bad")).runtime("builtin").handler("echo").role(ROLE).timeout(901)));
        assertEquals(400, badTimeout.statusCode());
        assertEquals("ValidationException", badTimeout.awsErrorDetails().errorCode());
        assertTrue(badTimeout.awsErrorDetails().errorMessage().contains("at 'timeout'"),
                badTimeout.awsErrorDetails().errorMessage());

        LambdaException badRuntime = assertThrows(LambdaException.class, () -> lambda.createFunction(b -> b
                .functionName(unique("bad")).runtime("cobol").handler("echo").role(ROLE)));
        assertEquals(400, badRuntime.statusCode());

        LambdaException badName = assertThrows(LambdaException.class, () -> lambda.createFunction(b -> b
                .functionName("not valid!").runtime("builtin").handler("echo").role(ROLE)));
        assertEquals(400, badName.statusCode());
    }

    @Test
    void payloadIsBytesExactly() {
        String name = unique("bytes");
        create(name, "echo", Map.of());
        String payload = "{\"b\": [1, 2,3], \"a\":\"\\u00e9\"}";
        InvokeResponse r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
        assertEquals(payload, r.payload().asString(StandardCharsets.UTF_8));
    }
}
