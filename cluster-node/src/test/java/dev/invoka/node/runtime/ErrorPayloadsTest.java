package dev.invoka.node.runtime;

import static dev.invoka.node.runtime.TestRequests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorPayloadsTest {

    @Test
    void jsonIsCompactWithMessageFirstAndEscapes() {
        assertEquals("{\"errorMessage\":\"say \\\"hi\\\"\\n\",\"errorType\":\"Error\"}",
                text(ErrorPayloads.json("say \"hi\"\n", "Error")));
    }

    @Test
    void functionErrorCarriesTypeMessageAndPayload() {
        InvocationResult.FunctionError error = ErrorPayloads.functionError("Runtime.X", "boom");
        assertEquals("Runtime.X", error.errorType());
        assertEquals("boom", error.errorMessage());
        assertEquals("{\"errorMessage\":\"boom\",\"errorType\":\"Runtime.X\"}", text(error.payload()));
    }

    @Test
    void handlerErrorAddsRequestIdAndStackTraceInOrder() {
        InvocationResult.FunctionError error = ErrorPayloads.handlerError("Error", "m", "id-1", List.of("a", "b"));
        assertEquals("{\"errorMessage\":\"m\",\"errorType\":\"Error\",\"requestId\":\"id-1\",\"stackTrace\":[\"a\",\"b\"]}",
                text(error.payload()));
    }

    @Test
    void timeoutUsesAwsMessageWithTwoDecimals() {
        InvocationResult.FunctionError error = ErrorPayloads.timedOut("abc", 3);
        assertEquals("Sandbox.Timedout", error.errorType());
        assertEquals("RequestId: abc Error: Task timed out after 3.00 seconds", error.errorMessage());
        assertEquals("{\"errorMessage\":\"RequestId: abc Error: Task timed out after 3.00 seconds\","
                + "\"errorType\":\"Sandbox.Timedout\"}", text(error.payload()));
    }

    @Test
    void responseTooLargeUsesAwsMessage() {
        InvocationResult.FunctionError error = ErrorPayloads.responseTooLarge();
        assertEquals("Function.ResponseSizeTooLarge", error.errorType());
        assertEquals("Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                error.errorMessage());
    }
}
