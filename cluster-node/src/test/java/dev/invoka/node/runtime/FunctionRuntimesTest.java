package dev.invoka.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class FunctionRuntimesTest {

    @Test
    void defaultsHaveBuiltinAndHttp() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            FunctionRuntimes runtimes = FunctionRuntimes.defaults(scheduler);
            assertEquals(List.of("builtin", "http"), List.copyOf(runtimes.names()));
            assertInstanceOf(BuiltinRuntime.class, runtimes.forName("builtin").orElseThrow());
            assertInstanceOf(HttpRuntime.class, runtimes.forName("http").orElseThrow());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void unknownOrNullNameIsEmpty() {
        FunctionRuntime fake = r -> CompletableFuture.completedFuture(new InvocationResult.Success(new byte[0]));
        FunctionRuntimes runtimes = new FunctionRuntimes(Map.of("fake", fake));
        assertSame(fake, runtimes.forName("fake").orElseThrow());
        assertTrue(runtimes.forName("FAKE").isEmpty());
        assertTrue(runtimes.forName("nodejs20.x").isEmpty());
        assertTrue(runtimes.forName(null).isEmpty());
    }

    @Test
    void registryIsACopy() {
        java.util.HashMap<String, FunctionRuntime> map = new java.util.HashMap<>();
        FunctionRuntimes runtimes = new FunctionRuntimes(map);
        map.put("late", r -> null);
        assertTrue(runtimes.forName("late").isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> runtimes.names().add("x"));
    }
}
