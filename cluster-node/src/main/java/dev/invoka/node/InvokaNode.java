package dev.invoka.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A started node: its actor system and the address its HTTP server listens on. {@link #start} is what
 * {@link Main} runs and what end-to-end tests run in their own JVM.
 */
public final class InvokaNode implements AutoCloseable {

    private final ActorSystem<Void> system;
    private final InetSocketAddress address;
    private final Settings settings;

    private InvokaNode(ActorSystem<Void> system, InetSocketAddress address, Settings settings) {
        this.system = system;
        this.address = address;
        this.settings = settings;
    }

    /** Starts a node from {@code config} (application.conf and reference.conf below it) and waits until it listens. */
    public static InvokaNode start(Config config, Wiring wiring) throws Exception {
        Config resolved = config.withFallback(ConfigFactory.load()).resolve();
        Settings settings = Settings.fromConfig(resolved);
        Config full = journalConfig(resolved, settings).withFallback(resolved);
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(Guardian.create(settings, wiring, bound), "invoka", full);
        try {
            InetSocketAddress address = bound.get(60, TimeUnit.SECONDS);
            return new InvokaNode(system, address, settings);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    /** The embedded H2 journal in the data folder, crash-safe (WRITE_DELAY=0), unless a URL is configured. */
    static Config journalConfig(Config config, Settings settings) throws java.io.IOException {
        String key = "pekko-persistence-jdbc.shared-databases.default.db.url";
        if (config.hasPath(key)) return ConfigFactory.empty();
        Files.createDirectories(settings.dataDir());
        Path db = settings.dataDir().resolve("invoka");
        return ConfigFactory.parseMap(Map.of(key, "jdbc:h2:file:" + db + ";WRITE_DELAY=0"));
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public InetSocketAddress address() {
        return address;
    }

    public Settings settings() {
        return settings;
    }

    public int port() {
        return address.getPort();
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

}
