package dev.invoka.chaos;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Invoka node as an operating-system process of its own, on fixed ports, with kill -9, SIGSTOP/SIGCONT
 * and restart. Its stdout and stderr are appended to {@code <name>.log} in the report folder.
 *
 * <p>Contract: {@link #start()} returns once {@code GET /_invoka/health} answers 200 or throws after
 * {@code startTimeout}; {@link #kill()} is SIGKILL and returns once the process is gone; {@link #pause()}
 * and {@link #resume()} send SIGSTOP and SIGCONT; {@link #stop()} is SIGTERM (graceful leave), then SIGKILL
 * after 20 s; {@link #exitedOnItsOwn()} tells a node that ended by itself. A node keeps its ports and
 * environment across restarts. Its operations are serialized (a pause that ends while
 * the node is being restarted after a kill waits, then does nothing).
 */
final class NodeProcess {

    /** Where the node's classes are: {@code invoka-node.jar} and its {@code lib/} folder. */
    record Launch(Path jar, Path lib, String heap) {}

    enum State { STOPPED, RUNNING, PAUSED, KILLED }

    private final String name;
    private final int httpPort;
    private final int managementPort;
    private final Map<String, String> env;
    private final Launch launch;
    private final Path log;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private volatile State state = State.STOPPED;

    NodeProcess(String name, int httpPort, int managementPort, Map<String, String> env, Launch launch, Path log, Duration startTimeout) {
        this.name = name;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.env = Map.copyOf(env);
        this.launch = launch;
        this.log = log;
        this.startTimeout = startTimeout;
    }

    String name() {
        return name;
    }

    String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    State state() {
        return state;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the process and waits until it serves. */
    synchronized void start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + launch.heap(),
                "-cp", launch.jar() + File.pathSeparator + launch.lib().resolve("*"), "dev.invoka.node.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        long deadline = System.currentTimeMillis() + startTimeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (healthy()) {
                state = State.RUNNING;
                return;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly().waitFor();
        throw new IOException(name + " did not answer /_invoka/health within " + startTimeout + "; see " + log);
    }

    /** {@code GET /_invoka/health} answers 200 within a second. */
    boolean healthy() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint() + "/_invoka/health"))
                    .timeout(Duration.ofSeconds(1)).build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Pekko Management's {@code GET /ready}: 200 once the node is a cluster member that serves; null when
     * nothing listens on the management port (a node without cluster mode).
     */
    Boolean ready() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/ready"))
                    .timeout(Duration.ofSeconds(1)).build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.net.ConnectException e) {
            return null;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The exit code of a node that ended on its own while it should run (it downed itself, for instance
     * after a pause longer than the cluster's patience), or null when it runs or was stopped on purpose.
     */
    synchronized Integer exitedOnItsOwn() {
        if (state != State.RUNNING || process == null || process.isAlive()) return null;
        return process.exitValue();
    }

    /** kill -9 (also of a paused process), and wait until it is gone. */
    synchronized void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor();
        state = State.KILLED;
    }

    /** SIGSTOP: the JVM freezes as in a very long GC pause; sockets stay open. */
    synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
        state = State.PAUSED;
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() throws IOException, InterruptedException {
        if (state != State.PAUSED) return;
        signal("CONT");
        state = State.RUNNING;
    }

    /** SIGTERM, then SIGKILL if the node has not left within 20 s. */
    synchronized void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            state = State.STOPPED;
            return;
        }
        if (state == State.PAUSED) {
            try {
                signal("CONT");
            } catch (IOException ignored) {
                // the process is killed below if it does not stop
            }
        }
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        state = State.STOPPED;
    }

    private void signal(String sig) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IOException("kill -" + sig + " " + process.pid() + " failed: " + rc);
    }
}
