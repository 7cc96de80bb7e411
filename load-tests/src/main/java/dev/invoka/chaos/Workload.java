package dev.invoka.chaos;

import java.util.List;
import java.util.Map;

/**
 * The functions a chaos run creates and how the load is spread over them: one of each builtin kind and
 * three http functions on the runner's {@link FunctionEndpoint} that fail their first 0, 1 and 3 attempts
 * (so attempts, retry delays and RetriesExhausted are all observed). Weights are shares of the invokes.
 *
 * <p>Expected outcomes without faults: echo, sleep, http-ok Success after 1 attempt; fail-then-succeed and
 * http-retry1 Success after 2; fail and http-fail3 RetriesExhausted after 3; flaky either.
 */
final class Workload {

    /** One function: its name suffix, runtime, handler, environment, weight, MaximumRetryAttempts (null = 2). */
    record Spec(String suffix, String runtime, String handler, Map<String, String> env, int weight,
                Integer maxRetries) {
        boolean http() {
            return "http".equals(runtime);
        }
    }

    private Workload() {}

    static List<Spec> standard(FunctionEndpoint endpoint) {
        return List.of(
                new Spec("echo", "builtin", "echo", Map.of(), 3, null),
                new Spec("fail", "builtin", "fail", Map.of("ERROR_MESSAGE", "chaos"), 1, null),
                new Spec("fail-then-succeed", "builtin", "fail-then-succeed", Map.of("FAIL_TIMES", "1"), 1, null),
                new Spec("flaky", "builtin", "flaky", Map.of("FAIL_RATE", "0.3"), 1, null),
                new Spec("sleep", "builtin", "sleep", Map.of("SLEEP_MS", "200"), 1, null),
                new Spec("http-ok", "http", endpoint.handler(0), Map.of(), 1, null),
                new Spec("http-retry1", "http", endpoint.handler(1), Map.of(), 2, null),
                new Spec("http-fail3", "http", endpoint.handler(3), Map.of(), 2, null));
    }

    /** The weighted round-robin order of one cycle: each spec index repeated by its weight, interleaved. */
    static int[] cycle(List<Spec> specs) {
        int total = specs.stream().mapToInt(Spec::weight).sum();
        int[] out = new int[total];
        int[] left = specs.stream().mapToInt(Spec::weight).toArray();
        int k = 0;
        while (k < total) {
            for (int i = 0; i < specs.size(); i++) {
                if (left[i]-- > 0) out[k++] = i;
            }
        }
        return out;
    }
}
