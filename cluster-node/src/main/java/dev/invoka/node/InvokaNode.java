package dev.invoka.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.invoka.node.cluster.ClusterSettings;
import dev.invoka.node.journal.GroupedWriteJournal;
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
        ClusterSettings cluster = ClusterSettings.fromConfig(resolved);
        Config withDb = journalConfig(resolved, settings).withFallback(cluster.pekkoConfig()).withFallback(resolved);
        Config full = GroupedWriteJournal.pluginFor(withDb).withFallback(withDb);
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(Guardian.create(settings, cluster, wiring, bound),
                ClusterSettings.SYSTEM_NAME, full);
        try {
            InetSocketAddress address = bound.get(60, TimeUnit.SECONDS);
            return new InvokaNode(system, address, settings);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    /**
     * The journal's database: PostgreSQL when {@code invoka.db.url} is a {@code jdbc:postgresql:} URL,
     * else the embedded H2 journal in the data folder, crash-safe ({@link #h2Url}), with snapshots in files
     * beside it ({@link dev.invoka.node.journal.PrunedFileSnapshotStore}). A URL set directly in
     * {@code pekko-persistence-jdbc.shared-databases.default.db.url} wins over both.
     */
    static Config journalConfig(Config config, Settings settings) throws java.io.IOException {
        String db = "pekko-persistence-jdbc.shared-databases.default.";
        if (config.hasPath(db + "db.url")) return ConfigFactory.empty();
        String url = config.getString("invoka.db.url");
        if (url.startsWith("jdbc:postgresql:")) {
            return ConfigFactory.parseMap(Map.of(
                    db + "profile", "slick.jdbc.PostgresProfile$",
                    db + "db.driver", "org.postgresql.Driver",
                    db + "db.url", withBatchedInserts(url),
                    db + "db.user", config.getString("invoka.db.user"),
                    db + "db.password", config.getString("invoka.db.password")));
        }
        if (!url.isEmpty()) throw new IllegalArgumentException("INVOKA_DB_URL must be a jdbc:postgresql: URL, was " + url);
        Files.createDirectories(settings.dataDir());
        Path file = settings.dataDir().resolve("invoka");
        return ConfigFactory.parseMap(Map.of(
                db + "db.url", h2Url(file),
                "pekko.persistence.snapshot-store.plugin", "invoka-file-snapshot-store",
                "invoka-file-snapshot-store.dir", settings.dataDir().resolve("snapshots").toString()));
    }

    /**
     * The embedded journal's URL. {@code WRITE_DELAY=0}: a commit is written to the file before it returns
     * (H2's default, 500 ms, lost hundreds of acknowledged events to a kill -9). {@code REUSE_SPACE=FALSE}:
     * every commit is appended at the end of the file. H2 2.5 places a commit in freed space inside the
     * file when one fits, and then rewrites the file header with the chunk before it, whose "next" pointer
     * says the end of the file: after a kill -9, H2 opens at that older chunk and the commits from the
     * misplaced one on are gone. A million-event backlog lost its last acknowledged accepts this way twice
     * (the newest chunk was in the file, unlisted); {@code EmbeddedJournalKillTest} reproduces it.
     */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;REUSE_SPACE=FALSE";
    }

    /**
     * With {@code invoka.db.grouped-writer = off} (and for tagged events) the plugin writes accepts from many
     * entities as one JDBC batch; {@code reWriteBatchedInserts} makes the PostgreSQL driver send it as
     * multi-row INSERTs instead of one statement per row. Kept if the URL sets it.
     */
    static String withBatchedInserts(String url) {
        if (url.contains("reWriteBatchedInserts=")) return url;
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
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
