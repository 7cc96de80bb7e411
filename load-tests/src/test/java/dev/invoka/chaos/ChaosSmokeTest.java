package dev.invoka.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short chaos run so the harness cannot rot: one node on the runner's own PostgreSQL, a small load at
 * time scale 0.01, one kill -9 and restart, through the runner's real entry point (nodes as processes).
 * Needs the node built ({@code cluster-node/target/invoka-node.jar} and {@code lib/}), which Maven's reactor
 * does before this module's tests.
 */
class ChaosSmokeTest {

    private static final Path NODE_DIR = Path.of("..", "cluster-node", "target").toAbsolutePath().normalize();

    @Test
    @Timeout(240)
    void oneKillLosesNothingAndEveryAcceptedIdGetsItsRecord(@TempDir Path out) throws Exception {
        assertTrue(Files.isRegularFile(NODE_DIR.resolve("invoka-node.jar")) && Files.isDirectory(NODE_DIR.resolve("lib")),
                "the node is not built: expected " + NODE_DIR + "/invoka-node.jar and lib/ (mvn -pl cluster-node -am package)");

        int exit = ChaosRunner.run("--nodes", "1", "--duration", "25s", "--rate", "20", "--time-scale", "0.01",
                "--kill-at", "8s", "--kill-down-for", "1s", "--drain", "45s", "--node-dir", NODE_DIR.toString(),
                "--out", out.toString());
        assertNothingLost(out, exit);
    }

    /** The same on a cluster of three: the runner's seed nodes, round-robin load and failover to the others. */
    @Test
    @Timeout(300)
    void oneKillInAClusterOfThreeLosesNothing(@TempDir Path out) throws Exception {
        assertTrue(Files.isRegularFile(NODE_DIR.resolve("invoka-node.jar")), "the node is not built");
        int exit = ChaosRunner.run("--nodes", "3", "--duration", "30s", "--rate", "20", "--time-scale", "0.01",
                "--request-timeout", "5s", "--kill-at", "10s", "--kill-down-for", "1s", "--drain", "90s",
                "--node-dir", NODE_DIR.toString(), "--out", out.toString());
        assertNothingLost(out, exit);
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(3, report.path("config").path("endpoints").size(), "three nodes: " + report.path("config"));
    }

    private static void assertNothingLost(Path out, int exit) throws Exception {
        assertTrue(Files.isRegularFile(out.resolve("report.json")), "report.json written");
        assertTrue(Files.isRegularFile(out.resolve("report.html")), "report.html written");
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"), "report.html has charts");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode outcomes = report.path("outcomes");
        assertEquals(0, outcomes.path("lost").asInt(-1), "lost: " + outcomes.path("lostIds"));
        assertEquals(0, exit, "exit code");
        int accepted = outcomes.path("accepted").asInt();
        assertTrue(accepted > 100, "accepted " + accepted);
        int terminal = outcomes.path("succeeded").asInt();
        for (JsonNode n : outcomes.path("failedByCondition")) terminal += n.asInt();
        assertEquals(accepted, terminal, "every accepted id has a terminal record");
        assertEquals(0, outcomes.path("undeliverable").asInt(-1));
        boolean killed = false;
        for (JsonNode f : report.path("faults")) {
            killed |= f.path("kind").asText().equals("kill") && f.path("done").asBoolean();
        }
        assertTrue(killed, "the kill happened: " + report.path("faults"));
        assertTrue(report.path("retryDelay").path("errorMs").path("count").asInt() > 0, "retry delays measured");
    }
}
