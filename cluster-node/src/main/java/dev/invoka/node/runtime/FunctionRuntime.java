package dev.invoka.node.runtime;

import java.util.concurrent.CompletionStage;

/**
 * What runs a function's code for one attempt. Named so as not to clash with {@link java.lang.Runtime}.
 *
 * <p>Contract: {@link #invoke} never throws and its stage never fails; every outcome, including the
 * function timeout passing, is an {@link InvocationResult}. The stage completes no later than shortly
 * after {@link InvocationRequest#deadlineEpochMs()}. Implementations must not block the calling thread.
 */
public interface FunctionRuntime {

    CompletionStage<InvocationResult> invoke(InvocationRequest request);
}
