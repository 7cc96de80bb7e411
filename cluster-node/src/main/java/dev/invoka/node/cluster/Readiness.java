package dev.invoka.node.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Whether this node should get traffic: its HTTP API is bound and it is not stopping. One per actor system;
 * {@link ReadinessCheck} reports it on Pekko Management's {@code /ready}, next to the cluster membership check
 * (this node is Up). Set by the Guardian (bound) and by coordinated shutdown (stopping, its first phase).
 */
public final class Readiness implements Extension {

    private final AtomicBoolean serving = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public static Readiness get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public void serving() {
        serving.set(true);
    }

    public void stopping() {
        stopping.set(true);
    }

    public boolean isStopping() {
        return stopping.get();
    }

    public boolean isReady() {
        return serving.get() && !stopping.get();
    }

    static final class Id extends ExtensionId<Readiness> {
        static final Id INSTANCE = new Id();

        @Override
        public Readiness createExtension(ActorSystem<?> system) {
            return new Readiness();
        }
    }
}
