package dev.invoka.node.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.invoka.node.NodeExtension;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.*;

/** The event invoke config API with the AWS SDK: Put replaces, Update merges, AWS's errors. */
class EventInvokeConfigE2ETest {

    static final String ROLE = "arn:aws:iam::000000000000:role/invoka";
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:q";

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        lambda = node.lambda();
    }


    static String function() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        lambda.createFunction(b -> b.functionName(name).runtime("builtin").handler("echo").role(ROLE));
        return name;
    }

    @Test
    void putReplacesAndUpdateMerges() {
        String name = function();
        PutFunctionEventInvokeConfigResponse put = lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                .maximumRetryAttempts(2).maximumEventAgeInSeconds(60));
        assertEquals(ARN + name + ":$LATEST", put.functionArn());
        assertEquals(2, put.maximumRetryAttempts());
        assertEquals(60, put.maximumEventAgeInSeconds());
        assertNotNull(put.destinationConfig().onSuccess());
        assertNull(put.destinationConfig().onSuccess().destination());
        assertTrue(put.lastModified().isAfter(Instant.now().minusSeconds(60)), "LastModified is epoch seconds");

        lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(0));
        GetFunctionEventInvokeConfigResponse afterPut = lambda.getFunctionEventInvokeConfig(b -> b.functionName(name));
        assertEquals(0, afterPut.maximumRetryAttempts());
        assertNull(afterPut.maximumEventAgeInSeconds(), "Put removes what it does not name");

        lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(2).maximumEventAgeInSeconds(60));
        lambda.updateFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUE))));
        GetFunctionEventInvokeConfigResponse merged = lambda.getFunctionEventInvokeConfig(b -> b.functionName(name));
        assertEquals(1, merged.maximumRetryAttempts());
        assertEquals(60, merged.maximumEventAgeInSeconds(), "Update keeps what it does not name");
        assertEquals(QUEUE, merged.destinationConfig().onFailure().destination());

        ListFunctionEventInvokeConfigsResponse list = lambda.listFunctionEventInvokeConfigs(b -> b.functionName(name));
        assertEquals(1, list.functionEventInvokeConfigs().size());
        assertNull(list.nextMarker());

        assertEquals(204, lambda.deleteFunctionEventInvokeConfig(b -> b.functionName(name)).sdkHttpResponse().statusCode());
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getFunctionEventInvokeConfig(b -> b.functionName(name)));
        assertEquals("The function " + ARN + name + ":$LATEST doesn't have an EventInvokeConfig",
                gone.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> lambda.deleteFunctionEventInvokeConfig(b -> b.functionName(name)));
    }

    @Test
    void errorsAreAwsErrors() {
        String name = function();
        InvalidParameterValueException nothing = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("doesnotexist")));
        assertEquals("You must specify at least one of error handling or destination setting.",
                nothing.awsErrorDetails().errorMessage());

        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("doesnotexist").maximumRetryAttempts(1)));
        assertEquals("The function doesn't exist.", missing.awsErrorDetails().errorMessage());

        LambdaException range = assertThrows(LambdaException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(3)));
        assertEquals("ValidationException", range.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: "
                + "Member must have value less than or equal to 2", range.awsErrorDetails().errorMessage());

        InvalidParameterValueException self = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onSuccess(s -> s.destination(ARN + name)))));
        assertEquals("You can't specify the function as a destination for itself.", self.awsErrorDetails().errorMessage());

        InvalidParameterValueException absent = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onFailure(s -> s.destination(ARN + "doesnotexist")))));
        assertEquals("The destination ARN " + ARN + "doesnotexist is invalid.", absent.awsErrorDetails().errorMessage());

        String iam = "arn:aws:iam::000000000000:role/x";
        InvalidParameterValueException unsupported = assertThrows(InvalidParameterValueException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onSuccess(s -> s.destination(iam)))));
        assertEquals("The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=" + iam
                + "), onFailure=null) is invalid.", unsupported.awsErrorDetails().errorMessage());

        LambdaException pattern = assertThrows(LambdaException.class,
                () -> lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onFailure(s -> s.destination("not-an-arn")))));
        assertEquals("ValidationException", pattern.awsErrorDetails().errorCode());
        assertTrue(pattern.awsErrorDetails().errorMessage().contains("at 'destinationConfig.onFailure.destination'"));

        ResourceNotFoundException noConfig = assertThrows(ResourceNotFoundException.class,
                () -> lambda.updateFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(1)));
        assertEquals("The function " + ARN + name + ":$LATEST doesn't have an EventInvokeConfig",
                noConfig.awsErrorDetails().errorMessage());

        ResourceNotFoundException listMissing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.listFunctionEventInvokeConfigs(b -> b.functionName("doesnotexist")));
        assertEquals("The function doesn't exist.", listMissing.awsErrorDetails().errorMessage());

        InvalidParameterValueException mismatch = assertThrows(InvalidParameterValueException.class,
                () -> lambda.getFunctionEventInvokeConfig(b -> b.functionName(name + ":1").qualifier("$LATEST")));
        assertEquals("The derived qualifier from the function name does not match the specified qualifier.",
                mismatch.awsErrorDetails().errorMessage());
    }

    @Test
    void webhooksAndAwsTargetsAreAcceptedDestinations() {
        String name = function();
        String other = function();
        PutFunctionEventInvokeConfigResponse r = lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ARN + other))
                        .onFailure(f -> f.destination("https://hooks.example.test/invoka"))));
        assertEquals(ARN + other, r.destinationConfig().onSuccess().destination());
        assertEquals("https://hooks.example.test/invoka", r.destinationConfig().onFailure().destination());
        Map.of("sns", "arn:aws:sns:us-east-1:000000000000:t", "events",
                "arn:aws:events:us-east-1:000000000000:event-bus/default").forEach((k, arn) ->
                assertEquals(arn, lambda.putFunctionEventInvokeConfig(b -> b.functionName(name)
                        .destinationConfig(d -> d.onFailure(f -> f.destination(arn)))).destinationConfig().onFailure().destination()));
    }
}
