package dev.invoka.node.runtime;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The runtimes a node can run, by the name a function configures as its {@code Runtime}.
 *
 * <p>Immutable and thread-safe. Names are matched exactly (case-sensitive). The runtimes themselves are
 * shared by every function on the node, so they must be thread-safe (the built-in ones are).
 */
public final class FunctionRuntimes {

    private final Map<String, FunctionRuntime> byName;

    /** @throws NullPointerException if a name or runtime is null */
    public FunctionRuntimes(Map<String, FunctionRuntime> byName) {
        this.byName = Map.copyOf(byName);
    }

    /**
     * {@code builtin} ({@link BuiltinRuntime}, timing its {@code sleep} on {@code scheduler}) and {@code http}
     * ({@link HttpRuntime} with its own shared client). The caller owns {@code scheduler} and shuts it down.
     */
    public static FunctionRuntimes defaults(ScheduledExecutorService scheduler) {
        return new FunctionRuntimes(Map.of(
                BuiltinRuntime.NAME, new BuiltinRuntime(scheduler),
                HttpRuntime.NAME, new HttpRuntime()));
    }

    /** The runtime named {@code runtime}; empty for an unknown or null name. */
    public Optional<FunctionRuntime> forName(String runtime) {
        return runtime == null ? Optional.empty() : Optional.ofNullable(byName.get(runtime));
    }

    /** The known names, sorted (for error messages that list them). */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }
}
