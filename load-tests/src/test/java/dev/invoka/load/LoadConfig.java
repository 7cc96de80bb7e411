package dev.invoka.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The knobs of every simulation, read from system properties ({@code -Dinvoka.rate=500} on the
 * {@code mvn gatling:test} command line; the Gatling plugin passes them to its JVM). Each simulation
 * documents its own defaults; the endpoints are shared.
 */
final class LoadConfig {

    private LoadConfig() {}

    /**
     * {@code invoka.endpoint}: one base URL or several, comma-separated (a cluster without a load
     * balancer: Gatling gives each virtual user the next one, round-robin). Default http://localhost:9000.
     */
    static List<String> endpoints() {
        List<String> urls = Arrays.stream(System.getProperty("invoka.endpoint", "http://localhost:9000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(LoadConfig::withoutSlash).toList();
        if (urls.isEmpty()) throw new IllegalArgumentException("invoka.endpoint is empty");
        return urls;
    }

    static int integer(String key, int fallback) {
        return Integer.parseInt(System.getProperty("invoka." + key, Integer.toString(fallback)).trim());
    }

    static double decimal(String key, double fallback) {
        return Double.parseDouble(System.getProperty("invoka." + key, Double.toString(fallback)).trim());
    }

    static String text(String key, String fallback) {
        return System.getProperty("invoka." + key, fallback).trim();
    }

    /** A duration property given in whole seconds, e.g. {@code -Dinvoka.duration=30}. */
    static Duration seconds(String key, int fallback) {
        return Duration.ofSeconds(integer(key, fallback));
    }

    /**
     * A prefix unique to this run, e.g. {@code gat-retry-lq3x9k-}: function names of different runs
     * never collide, so a simulation can run again against the same node or cluster.
     */
    static String runPrefix(String simulation) {
        return "gat-" + simulation + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
