package dev.invoka.node.function;

import dev.invoka.node.runtime.FunctionRuntime;
import dev.invoka.node.runtime.InvocationRequest;
import dev.invoka.node.runtime.InvocationResult;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one attempt of one invocation: a child of its {@link FunctionEntity}, one per in-flight invocation.
 *
 * <p>Contract with the parent: started with the request and the runtime, it sends exactly one
 * {@link FunctionEntity.AttemptFinished} and stops. If the runtime breaks its own contract (its stage
 * fails, or it outlives the deadline by {@link #OVERRUN}), the outcome is a
 * {@link InvocationResult.SystemError}. If this actor dies without reporting, the parent learns it from
 * the watch ({@link FunctionEntity.InvocationStopped}).
 */
public final class Invocation {

    /** How long past the function deadline a runtime may take before the attempt counts as lost. */
    static final Duration OVERRUN = Duration.ofSeconds(5);

    public interface Command {}

    private record Completed(InvocationResult result) implements Command {}

    private enum Overrun implements Command { INSTANCE }

    private Invocation() {}

    /** @param onStart runs as the runtime is called (the entity measures its dispatch delay with it) */
    public static Behavior<Command> create(InvocationRequest request, FunctionRuntime runtime,
                                           ActorRef<FunctionEntity.Command> parent, Runnable onStart) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            long untilDeadline = Math.max(0, request.deadlineEpochMs() - System.currentTimeMillis());
            timers.startSingleTimer(Overrun.INSTANCE, Duration.ofMillis(untilDeadline).plus(OVERRUN));
            onStart.run();
            ctx.pipeToSelf(runtime.invoke(request), (result, failure) -> new Completed(
                    result != null ? result : new InvocationResult.SystemError("runtime failed: " + failure)));
            return Behaviors.receive(Command.class)
                    .onMessage(Completed.class, done -> finish(parent, request, done.result()))
                    .onMessageEquals(Overrun.INSTANCE, () -> finish(parent, request,
                            new InvocationResult.SystemError("runtime did not answer within the function timeout")))
                    .build();
        }));
    }

    private static Behavior<Command> finish(ActorRef<FunctionEntity.Command> parent, InvocationRequest request,
                                            InvocationResult result) {
        parent.tell(new FunctionEntity.AttemptFinished(request.requestId(), result));
        return Behaviors.stopped();
    }
}
