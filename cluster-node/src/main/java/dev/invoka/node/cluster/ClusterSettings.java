package dev.invoka.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node finds and joins its cluster ({@code invoka.cluster}) and how it leaves it ({@code invoka.shutdown}).
 *
 * <p>Three ways to form a cluster: no seed nodes and no discovery (a node alone, joining itself: the laptop
 * default), {@code INVOKA_SEED_NODES} (hosts and laptops: the first seed that answers is joined; the first in
 * the list forms the cluster if none answers), or {@code INVOKA_DISCOVERY=kubernetes-api} (Cluster Bootstrap
 * finds the other pods through the Kubernetes API and contacts their management port).
 *
 * @param host                  host or IP other nodes reach this node on (remoting and management)
 * @param port                  Pekko remoting port; 0 picks a free one (a node alone needs none fixed)
 * @param seedNodes             {@code host:port} remoting addresses of the seed nodes, maybe empty
 * @param managementPort        Pekko Management HTTP port ({@code /alive}, {@code /ready}); 0 means off
 * @param discovery             empty, or {@code kubernetes-api} for Cluster Bootstrap
 * @param serviceName           the {@code app.kubernetes.io/name} label the nodes' pods carry
 * @param requiredContactPoints nodes Bootstrap must see before it forms a new cluster
 * @param drain                 how long a stopping node stays up but unready before it stops taking requests
 */
public record ClusterSettings(String host, int port, List<String> seedNodes, int managementPort, String discovery,
                              String serviceName, int requiredContactPoints, Duration drain) {

    /** The name of every node's actor system: addresses of seed nodes are built with it. */
    public static final String SYSTEM_NAME = "invoka";

    public static ClusterSettings fromConfig(Config root) {
        Config c = root.getConfig("invoka.cluster");
        List<String> seeds = new ArrayList<>();
        for (String seed : c.getString("seed-nodes").split(",")) {
            String s = seed.trim();
            if (s.isEmpty()) continue;
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("INVOKA_SEED_NODES must be comma-separated host:port, was " + seed);
            }
            seeds.add(s);
        }
        String discovery = c.getString("discovery").trim();
        if (!discovery.isEmpty() && !discovery.equals("kubernetes-api")) {
            throw new IllegalArgumentException("INVOKA_DISCOVERY must be kubernetes-api or empty, was " + discovery);
        }
        if (!discovery.isEmpty() && !seeds.isEmpty()) {
            throw new IllegalArgumentException("set either INVOKA_SEED_NODES or INVOKA_DISCOVERY, not both");
        }
        int management = c.getInt("management-port");
        if (!discovery.isEmpty() && management == 0) {
            throw new IllegalArgumentException("INVOKA_DISCOVERY needs INVOKA_MANAGEMENT_PORT: Bootstrap contacts it");
        }
        return new ClusterSettings(c.getString("host"), c.getInt("port"), List.copyOf(seeds), management, discovery,
                c.getString("service-name"), c.getInt("required-contact-points"),
                root.getDuration("invoka.shutdown.drain"));
    }

    public boolean managementEnabled() {
        return managementPort > 0;
    }

    public boolean bootstrap() {
        return !discovery.isEmpty();
    }

    /** A node that forms a cluster of its own: no seeds to join and nobody to discover. */
    public boolean alone() {
        return seedNodes.isEmpty() && !bootstrap();
    }

    /** The Pekko settings these imply; they win over application.conf. */
    public Config pekkoConfig() {
        Map<String, Object> m = new HashMap<>();
        m.put("pekko.remote.artery.canonical.hostname", host);
        m.put("pekko.remote.artery.canonical.port", port);
        m.put("pekko.cluster.seed-nodes", seedNodes.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList());
        // The drain runs in the first phase of coordinated shutdown: give that phase room for it.
        m.put("pekko.coordinated-shutdown.phases.before-service-unbind.timeout", (drain.toMillis() + 5_000) + "ms");
        if (managementEnabled()) {
            m.put("pekko.management.http.hostname", host);
            m.put("pekko.management.http.port", managementPort);
            m.put("pekko.management.http.bind-hostname", "0.0.0.0");
        }
        if (bootstrap()) {
            String cp = "pekko.management.cluster.bootstrap.contact-point-discovery.";
            m.put(cp + "discovery-method", discovery);
            m.put(cp + "service-name", serviceName);
            m.put(cp + "port-name", "management");
            m.put(cp + "required-contact-point-nr", requiredContactPoints);
            m.put("pekko.discovery.kubernetes-api.pod-label-selector", "app.kubernetes.io/name=%s");
        }
        return ConfigFactory.parseMap(m);
    }
}
