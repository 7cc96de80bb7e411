package dev.invoka.node;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node in its own JVM, started the way the launcher starts it (Main, env variables), so a test can
 * kill it with SIGKILL. Output goes to {@code node-<port>.log} in the data folder.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final Map<String, String> env;
    public final int port;

    private NodeProcess(Process process, Path dataDir, Map<String, String> env, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.env = env;
        this.port = port;
    }

    public static NodeProcess start(Path dataDir, Map<String, String> env) throws Exception {
        return start(dataDir, env, freePort());
    }

    /** Starts the node on HTTP port {@code port} and waits until it serves. */
    public static NodeProcess start(Path dataDir, Map<String, String> env, int port) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node-" + port + ".log").toFile()));
        pb.environment().put("INVOKA_HTTP_PORT", Integer.toString(port));
        pb.environment().put("INVOKA_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        NodeProcess node = new NodeProcess(pb.start(), dataDir, Map.copyOf(env), port);
        node.awaitHealthy(Duration.ofSeconds(60));
        return node;
    }

    /** The same node started again (same data folder, settings and ports) once this process has ended. */
    public NodeProcess restart() throws Exception {
        if (process.isAlive()) throw new IllegalStateException("still running");
        return start(dataDir, env, port);
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("node exited with " + process.exitValue());
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/_invoka/health").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("node did not become healthy in " + timeout);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for a clean exit. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** SIGTERM without waiting: the node shuts down on its own (see {@link #awaitExit}). */
    public void signalTerm() {
        process.destroy();
    }

    /** The exit code, once the process ended within {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("node on port " + port + " still running after " + timeout);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
