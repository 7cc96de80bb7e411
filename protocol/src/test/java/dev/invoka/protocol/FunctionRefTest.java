package dev.invoka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionRefTest {

    static Stream<Arguments> refs() {
        String base = "arn:aws:lambda:us-east-1:000000000000:function:my-function";
        return Stream.of(
                Arguments.of(null, base, "$LATEST", base + ":$LATEST", false),
                Arguments.of("$LATEST", base, "$LATEST", base + ":$LATEST", true),
                Arguments.of("1", base, "1", base + ":1", true),
                Arguments.of("prod", base, "prod", base + ":prod", true),
                Arguments.of("$latest", base, "$latest", base + ":$latest", true));
    }

    @ParameterizedTest
    @MethodSource("refs")
    void arns(String qualifier, String unqualified, String effective, String qualified, boolean hasQualifier) {
        FunctionRef ref = new FunctionRef("us-east-1", "000000000000", "my-function", qualifier);
        assertEquals(unqualified, ref.unqualifiedArn());
        assertEquals(effective, ref.effectiveQualifier());
        assertEquals(qualified, ref.qualifiedArn());
        assertEquals(hasQualifier, ref.hasQualifier());
    }

    @Test
    void regionAccountAndNameAreRequired() {
        assertThrows(NullPointerException.class, () -> new FunctionRef(null, "000000000000", "f", null));
        assertThrows(NullPointerException.class, () -> new FunctionRef("us-east-1", null, "f", null));
        assertThrows(NullPointerException.class, () -> new FunctionRef("us-east-1", "000000000000", null, null));
    }
}
