package dev.invoka.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadsTest {

    static final String PREFIX = "Could not parse request body into json: Could not parse payload into json: ";
    static final String SOURCE = "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";
    static final String EXPECTED = "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static Stream<Arguments> valid() {
        return Stream.of("{}", "{\"a\":[1,2,{\"b\":null}]}", "[]", "\"text\"", "42", "-1.5e3", "null", "true",
                " \n\t{\"k\":\"\u00e9\u20ac\"}\r\n ").map(s -> Arguments.of((Object) utf8(s)));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void acceptsOneJsonValueAndReturnsTheBodyItself(byte[] body) {
        assertSame(body, Payloads.requireJson(body));
    }

    static Stream<Arguments> empty() {
        return Stream.of(Arguments.of((Object) null), Arguments.of((Object) new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("empty")
    void emptyBodyIsAnEmptyObject(byte[] body) {
        assertArrayEquals(utf8("{}"), Payloads.requireJson(body));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // AWS-recorded: test_lambda_invoke_payload_encoding_error[body-...]
                Arguments.of(bytes('n', 0x87, 'r', 0x9e, 0xe9, 0xb5, 0xd7, 'I', 0xee, 0x9b, 'm', 't'),
                        "Invalid UTF-8 start byte 0x87" + SOURCE + "line: 1, column: 3]"),
                // AWS-recorded: test_lambda_invoke_payload_encoding_error[message-...]
                Arguments.of(bytes(0x99, 0xeb, ',', 'j', 0x07, 0xa1, 'z', 'Y', 'h'),
                        "Unexpected character ((CTRL-CHAR, code 153)): " + EXPECTED + SOURCE + "line: 1, column: 1]"),
                // AWS message quoted by LocalStack for 'test'
                Arguments.of(utf8("'test'"), "Unexpected character (''' (code 39)): " + EXPECTED + SOURCE + "line: 1, column: 1]"),
                Arguments.of(bytes('\n', ' ', 0x99), "Unexpected character ((CTRL-CHAR, code 153)): " + EXPECTED + SOURCE + "line: 2, column: 2]"),
                Arguments.of(bytes('\r', '\n', 0xa9), "Unexpected character ('\u00a9' (code 169)): " + EXPECTED + SOURCE + "line: 2, column: 1]"),
                Arguments.of(utf8("test"), "Unrecognized token 'test': was expecting (JSON String, Number, Array, Object or token "
                        + "'null', 'true' or 'false')" + SOURCE + "line: 1, column: 1]"),
                Arguments.of(utf8("{} x"), "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token "
                        + "'null', 'true' or 'false')" + SOURCE + "line: 1, column: 4]"),
                Arguments.of(utf8("{} {}"), "Trailing token (of type START_OBJECT) found after value (bound as "
                        + "`com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"
                        + SOURCE + "line: 1, column: 4]"),
                Arguments.of(utf8("  "), "No content to map due to end-of-input" + SOURCE + "line: 1]"),
                Arguments.of(utf8("{\"a\":}"), "Unexpected character ('}' (code 125)): expected a value" + SOURCE + "line: 1, column: 6]"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWhatIsNotOneJsonValue(byte[] body, String jacksonMessage) {
        LambdaException e = assertThrows(LambdaException.class, () -> Payloads.requireJson(body));
        assertEquals(PREFIX + jacksonMessage, e.getMessage());
        assertEquals(400, e.status());
        assertEquals("InvalidRequestContentException", e.errorType());
        assertEquals(PREFIX + jacksonMessage, e.body().get("message"));
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of(6_291_457, false, "Request must be smaller than 6291456 bytes for the InvokeFunction operation"),
                Arguments.of(1_048_577, true, "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)"),
                Arguments.of(264_496 * 4, true, "1057984 byte payload is too large for the Event invocation type (limit 1048576 bytes)"));
    }

    @ParameterizedTest
    @MethodSource("limits")
    void tooLargeTexts(int size, boolean async, String message) {
        LambdaException e = Payloads.tooLarge(size, async);
        assertEquals(413, e.status());
        assertEquals("RequestEntityTooLargeException", e.errorType());
        assertEquals(message, e.getMessage());
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(6_291_456, false, false), Arguments.of(6_291_457, false, true),
                Arguments.of(1_048_576, true, false), Arguments.of(1_048_577, true, true),
                Arguments.of(2_000_000, false, false), Arguments.of(2_000_000, true, true));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void limitsPerInvocationType(int size, boolean async, boolean exceeds) {
        assertEquals(exceeds, Payloads.exceedsLimit(size, async));
    }
}
