package dev.invoka.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that the kustomize base, the dev overlay and the Grafana dashboard fit together and fit the node's
 * operating contract. There is no kustomize binary here: {@link Kustomization} resolves {@code resources:},
 * the generators and {@code images:} itself, and fabric8 parses the manifests into its model.
 */
class ManifestsTest {

    /** Labels Cluster Bootstrap selects the node pods by (app.kubernetes.io/name=INVOKA_SERVICE_NAME). */
    private static final String NAME_LABEL = "app.kubernetes.io/name";

    /** What a stopping node needs after its drain: unbind, finish in-flight requests, hand shards over, leave. */
    private static final Duration HAND_OVER = Duration.ofSeconds(30);

    /**
     * Every series a node exports at /metrics, as one real run listed them (cluster-node as of the cluster
     * work, INVOKA_TIME_SCALE=0.01): functions on the builtin fail handler (with an OnFailure webhook and a
     * dead-letter queue that do not exist), echo with reserved concurrency 0, and sleep, each invoked async three
     * times, fail and echo once synchronously; then the distinct series names of {@code curl /metrics}. They come
     * from cluster-node/src/main/java/dev/invoka/node/metrics/LambdaMetrics.java: change both together.
     */
    static final Set<String> EXPORTED = Set.of(
            "lambda_AsyncEventsReceived_total",
            "lambda_AsyncEventsDropped_total",
            "lambda_Invocations_total",
            "lambda_Errors_total",
            "lambda_Throttles_total",
            "lambda_DestinationDeliveryFailures_total",
            "lambda_DeadLetterErrors_total",
            "lambda_AsyncEventAge_milliseconds_count",
            "lambda_AsyncEventAge_milliseconds_sum",
            "lambda_AsyncEventAge_milliseconds_max",
            "lambda_ConcurrentExecutions",
            "invoka_QueueDepth",
            "invoka_DispatchDelay_seconds",
            "invoka_DispatchDelay_seconds_count",
            "invoka_DispatchDelay_seconds_sum",
            "invoka_DispatchDelay_seconds_max");

    /** What the dashboard must show (the Lambda metric names, without Prometheus suffixes). */
    static final Set<String> DASHBOARD_MUST_SHOW = Set.of("AsyncEventsReceived", "AsyncEventsDropped", "QueueDepth",
            "AsyncEventAge", "Throttles", "Errors", "Invocations", "ConcurrentExecutions",
            "DestinationDeliveryFailures", "DeadLetterErrors");

    // ---- the Deployment and its pods ----

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void deploymentSelectsItsOwnPodsAndOnlyThose(String dir) {
        Kustomization k = Kustomization.load(dir);
        Deployment d = k.one(Deployment.class, "invoka");
        Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
        assertTrue(selector != null && !selector.isEmpty(), "the Deployment selects by labels");
        assertTrue(d.getSpec().getSelector().getMatchExpressions() == null
                || d.getSpec().getSelector().getMatchExpressions().isEmpty(), "no matchExpressions to reason about");
        assertTrue(selects(selector, podLabels(d)), "selector " + selector + " matches the pod template");

        String serviceName = envValue(node(d), "INVOKA_SERVICE_NAME").orElse("invoka");
        assertEquals(serviceName, podLabels(d).get(NAME_LABEL), "Bootstrap looks for " + NAME_LABEL + "=" + serviceName);
        for (StatefulSet s : k.all(StatefulSet.class)) {
            assertFalse(selects(Map.of(NAME_LABEL, serviceName), s.getSpec().getTemplate().getMetadata().getLabels()),
                    "Bootstrap would take StatefulSet " + s.getMetadata().getName() + "'s pods for nodes");
        }
        for (Deployment other : k.all(Deployment.class)) {
            if (other != d) assertFalse(selects(selector, podLabels(other)), "the selector also takes " + other.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void servicesAndBudgetSelectTheNodesAndTargetNamedPorts(String dir) {
        Kustomization k = Kustomization.load(dir);
        Deployment d = k.one(Deployment.class, "invoka");

        Service api = k.one(Service.class, "invoka");
        assertEquals("LoadBalancer", api.getSpec().getType());
        assertEquals(List.of(9000), api.getSpec().getPorts().stream().map(ServicePort::getPort).toList());
        assertEquals("http", api.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        Service nodes = k.one(Service.class, "invoka-nodes");
        assertEquals("None", nodes.getSpec().getClusterIP(), "headless");
        assertEquals(Boolean.TRUE, nodes.getSpec().getPublishNotReadyAddresses(), "joining nodes must be resolvable");
        assertEquals(Set.of("management", "remoting"),
                Set.copyOf(nodes.getSpec().getPorts().stream().map(p -> p.getTargetPort().getStrVal()).toList()));
        for (Service s : List.of(api, nodes)) {
            assertTrue(selects(s.getSpec().getSelector(), podLabels(d)), "Service " + s.getMetadata().getName() + " selects the nodes");
        }

        PodDisruptionBudget pdb = k.one(PodDisruptionBudget.class, "invoka");
        assertTrue(selects(pdb.getSpec().getSelector().getMatchLabels(), podLabels(d)), "the PDB covers the nodes");

        // Every Service (the dev PostgreSQL's too) selects some pods and targets ports those pods declare.
        for (Service s : k.all(Service.class)) {
            List<PodTemplateSpec> pods = k.podTemplates().stream()
                    .filter(t -> selects(s.getSpec().getSelector(), t.getMetadata().getLabels())).toList();
            assertFalse(pods.isEmpty(), "Service " + s.getMetadata().getName() + " selects no pods");
            for (PodTemplateSpec t : pods) {
                List<ContainerPort> declared = t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream()).toList();
                for (ServicePort p : s.getSpec().getPorts()) {
                    IntOrString target = p.getTargetPort();
                    assertNotNull(target, "Service " + s.getMetadata().getName() + " port " + p.getName() + " names its target");
                    boolean found = declared.stream().anyMatch(cp -> target.getStrVal() != null
                            ? target.getStrVal().equals(cp.getName()) : target.getIntVal().equals(cp.getContainerPort()));
                    assertTrue(found, "Service " + s.getMetadata().getName() + " targets " + target.getValue()
                            + ", not a container port of its pods " + declared.stream().map(ContainerPort::getName).toList());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void portsProbesAndDiscoveryFollowTheOperatingContract(String dir) {
        Deployment d = Kustomization.load(dir).one(Deployment.class, "invoka");
        Container c = node(d);
        assertEquals(9000, port(c, "http"));
        assertEquals(port(c, "http"), Integer.parseInt(env(c, "INVOKA_HTTP_PORT")), "INVOKA_HTTP_PORT = the http port");
        assertEquals(port(c, "remoting"), Integer.parseInt(env(c, "INVOKA_CLUSTER_PORT")), "INVOKA_CLUSTER_PORT = the remoting port");
        assertEquals(port(c, "management"), Integer.parseInt(env(c, "INVOKA_MANAGEMENT_PORT")),
                "INVOKA_MANAGEMENT_PORT = the port named management (Bootstrap contacts it)");
        assertEquals("kubernetes-api", env(c, "INVOKA_DISCOVERY"));
        EnvVar host = c.getEnv().stream().filter(e -> e.getName().equals("INVOKA_CLUSTER_HOST")).findFirst()
                .orElseThrow(() -> new AssertionError("INVOKA_CLUSTER_HOST is not set"));
        assertEquals("status.podIP", host.getValueFrom().getFieldRef().getFieldPath());

        assertProbe(c.getReadinessProbe(), "/ready", "readiness");
        assertProbe(c.getLivenessProbe(), "/alive", "liveness");
        if (c.getStartupProbe() != null) assertProbe(c.getStartupProbe(), "/alive", "startup");

        // Service links would define e.g. INVOKA_NODES_PORT=tcp://... next to the contract's INVOKA_* variables.
        assertEquals(Boolean.FALSE, d.getSpec().getTemplate().getSpec().getEnableServiceLinks(), "enableServiceLinks: false");

        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(port(c, "http")), annotations.get("prometheus.io/port"), "metrics are on the http port");
        assertEquals("/metrics", annotations.get("prometheus.io/path"));

        assertTrue(c.getImage().startsWith("invoka:") && c.getImage().length() > "invoka:".length(),
                "the image is invoka with a tag from kustomize images:, was " + c.getImage());
        Matcher configFile = Pattern.compile("-Dconfig\\.file=/opt/invoka/config/(\\S+)").matcher(env(c, "JAVA_OPTS"));
        assertTrue(configFile.find(), "JAVA_OPTS keeps the image's -Dconfig.file");
        assertTrue(Files.isRegularFile(Path.of("..", "config", configFile.group(1))), "config/" + configFile.group(1) + " exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void theServiceAccountMayListPods(String dir) {
        Kustomization k = Kustomization.load(dir);
        String account = k.one(Deployment.class, "invoka").getSpec().getTemplate().getSpec().getServiceAccountName();
        assertNotNull(account, "serviceAccountName is set");
        k.one(ServiceAccount.class, account);
        boolean granted = k.all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account)))
                .filter(b -> b.getRoleRef().getKind().equals("Role"))
                .flatMap(b -> k.all(Role.class).stream().filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())))
                .flatMap(r -> r.getRules().stream())
                .anyMatch(ManifestsTest::readsPods);
        assertTrue(granted, "ServiceAccount " + account + " is bound to a Role with get/list/watch on pods");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void everyReferencedConfigMapSecretAndKeyExists(String dir) {
        Kustomization k = Kustomization.load(dir);
        for (PodTemplateSpec t : k.podTemplates()) {
            for (Container c : t.getSpec().getContainers()) {
                for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
                    if (from.getConfigMapRef() != null) configMapKeys(k, from.getConfigMapRef().getName());
                    if (from.getSecretRef() != null) secretKeys(k, from.getSecretRef().getName());
                }
                for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                    if (e.getValueFrom() == null) continue;
                    var cm = e.getValueFrom().getConfigMapKeyRef();
                    if (cm != null) assertTrue(configMapKeys(k, cm.getName()).contains(cm.getKey()),
                            e.getName() + ": ConfigMap " + cm.getName() + " has no key " + cm.getKey());
                    var sk = e.getValueFrom().getSecretKeyRef();
                    if (sk != null) assertTrue(secretKeys(k, sk.getName()).contains(sk.getKey()),
                            e.getName() + ": Secret " + sk.getName() + " has no key " + sk.getKey());
                }
            }
        }
        Container c = node(k.one(Deployment.class, "invoka"));
        for (String name : List.of("INVOKA_DB_URL", "INVOKA_DB_USER", "INVOKA_DB_PASSWORD")) {
            assertTrue(reaches(k, c, name), name + " reaches the node's container");
        }
        for (String name : List.of("INVOKA_DB_USER", "INVOKA_DB_PASSWORD")) {
            EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
            assertNotNull(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef(), name + " comes from a Secret");
        }
    }

    @Test
    void theDevOverlayPointsTheJournalAtItsOwnPostgres() {
        Kustomization k = Kustomization.load("overlays/dev");
        String url = k.one(ConfigMap.class, "invoka-config").getData().get("INVOKA_DB_URL");
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/\\w+").matcher(url);
        assertTrue(m.matches(), "INVOKA_DB_URL is a jdbc:postgresql URL, was " + url);
        Service db = k.one(Service.class, m.group(1));
        assertTrue(db.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == Integer.parseInt(m.group(2))),
                "Service " + m.group(1) + " serves port " + m.group(2));
        StatefulSet pg = k.all(StatefulSet.class).stream()
                .filter(s -> selects(db.getSpec().getSelector(), s.getSpec().getTemplate().getMetadata().getLabels()))
                .findFirst().orElseThrow(() -> new AssertionError("no StatefulSet behind " + m.group(1)));
        assertFalse(pg.getSpec().getVolumeClaimTemplates().isEmpty(), "PostgreSQL keeps its data on a volume");
        assertFalse(url.equals(Kustomization.load("base").one(ConfigMap.class, "invoka-config").getData().get("INVOKA_DB_URL")),
                "the overlay replaces the base's placeholder URL");
    }

    // ---- staying available ----

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void rollingUpdatesAndDisruptionsKeepAMajority(String dir) {
        Kustomization k = Kustomization.load(dir);
        Deployment d = k.one(Deployment.class, "invoka");
        int replicas = d.getSpec().getReplicas();
        assertTrue(replicas >= 3, "a majority survives one node only from 3 nodes on");
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        RollingUpdateDeployment rolling = d.getSpec().getStrategy().getRollingUpdate();
        int down = scaled(rolling.getMaxUnavailable(), replicas, false); // Kubernetes rounds maxUnavailable down
        assertTrue(2 * (replicas - down) > replicas, "a rollout may leave " + (replicas - down) + " of " + replicas + " nodes");

        PodDisruptionBudget pdb = k.one(PodDisruptionBudget.class, "invoka");
        int available = pdb.getSpec().getMinAvailable() != null
                ? scaled(pdb.getSpec().getMinAvailable(), replicas, true)
                : replicas - scaled(pdb.getSpec().getMaxUnavailable(), replicas, true);
        assertTrue(2 * available > replicas, "the PDB may leave " + available + " of " + replicas + " nodes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void resourcesAreBoundedAndTheHeapFitsTheLimit(String dir) {
        Kustomization k = Kustomization.load(dir);
        for (PodTemplateSpec t : k.podTemplates()) {
            for (Container c : t.getSpec().getContainers()) {
                var r = c.getResources();
                for (String what : List.of("cpu", "memory")) {
                    Quantity request = r.getRequests() == null ? null : r.getRequests().get(what);
                    Quantity limit = r.getLimits() == null ? null : r.getLimits().get(what);
                    assertNotNull(request, c.getName() + " requests " + what);
                    assertNotNull(limit, c.getName() + " limits " + what);
                    assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                            c.getName() + ": " + what + " request above its limit");
                }
            }
        }
        Container node = node(k.one(Deployment.class, "invoka"));
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([kKmMgG])").matcher(env(node, "JAVA_OPTS"));
        assertTrue(xmx.find(), "JAVA_OPTS sets -Xmx");
        long heap = Long.parseLong(xmx.group(1)) << switch (xmx.group(2).toLowerCase()) { case "k" -> 10; case "m" -> 20; default -> 30; };
        BigDecimal limit = node.getResources().getLimits().get("memory").getNumericalAmount();
        assertTrue(BigDecimal.valueOf(heap).compareTo(limit.multiply(BigDecimal.valueOf(0.75))) <= 0,
                "heap " + heap + " leaves a quarter of the memory limit " + limit + " for the rest of the JVM");
        assertTrue(BigDecimal.valueOf(heap).compareTo(limit.multiply(BigDecimal.valueOf(0.4))) >= 0,
                "heap " + heap + " uses the memory limit " + limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev"})
    void aStoppingNodeHasTimeToDrainAndHandOver(String dir) {
        Deployment d = Kustomization.load(dir).one(Deployment.class, "invoka");
        Duration drain = hocon(env(node(d), "INVOKA_SHUTDOWN_DRAIN"));
        assertTrue(drain.toSeconds() >= 1, "a drain lets the load balancer stop sending first");
        long grace = Optional.ofNullable(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
        assertTrue(grace > drain.plus(HAND_OVER).toSeconds(),
                "terminationGracePeriodSeconds " + grace + " must exceed the drain " + drain + " plus " + HAND_OVER + " of hand-over");
    }

    // ---- the dashboard ----

    @Test
    void theDashboardIsAConfigMapForGrafanasSidecar() {
        ConfigMap cm = Kustomization.load("grafana").one(ConfigMap.class, "invoka-grafana-dashboard");
        assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"));
        assertTrue(cm.getData().containsKey("invoka-dashboard.json"));
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheNodeExports() throws Exception {
        Map<?, ?> dash = Kustomization.YAML.unmarshal(Files.readString(Path.of("grafana", "invoka-dashboard.json")), Map.class);
        List<Map<?, ?>> vars = maps(((Map<?, ?>) dash.get("templating")).get("list"));
        String datasource = vars.stream().filter(v -> "datasource".equals(v.get("type")) && "prometheus".equals(v.get("query")))
                .map(v -> (String) v.get("name")).findFirst().orElseThrow(() -> new AssertionError("no Prometheus datasource variable"));
        Map<?, ?> function = vars.stream().filter(v -> "function_name".equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no function_name variable"));
        Object q = function.get("query");
        String query = q instanceof Map<?, ?> m ? (String) m.get("query") : (String) q;
        Matcher lv = Pattern.compile("label_values\\((\\w+)\\s*,\\s*function_name\\)").matcher(query);
        assertTrue(lv.matches(), "function_name lists label values of one metric, was " + query);
        assertTrue(EXPORTED.contains(lv.group(1)), "function_name reads " + lv.group(1) + ", which the node does not export");

        List<Object> sources = new ArrayList<>();
        collect(dash, "datasource", sources);
        for (Object source : sources) {
            if (source instanceof Map<?, ?> m) assertEquals("${" + datasource + "}", m.get("uid"), "every query uses the datasource variable");
        }

        Set<String> used = new HashSet<>();
        List<Map<?, ?>> panels = maps(dash.get("panels"));
        assertFalse(panels.isEmpty());
        for (Map<?, ?> panel : panels) {
            List<Map<?, ?>> targets = maps(panel.get("targets"));
            assertFalse(targets.isEmpty(), "panel " + panel.get("title") + " queries something");
            for (Map<?, ?> t : targets) {
                assertTrue(t.get("datasource") instanceof Map, "panel " + panel.get("title") + " names its datasource");
                String expr = (String) t.get("expr");
                assertTrue(expr.contains("$function_name"), "panel " + panel.get("title") + " follows the function_name variable");
                Set<String> metrics = metricsIn(expr);
                assertFalse(metrics.isEmpty(), "no metric in " + expr);
                for (String metric : metrics) {
                    assertTrue(EXPORTED.contains(metric), "panel " + panel.get("title") + " queries " + metric + ", not exported");
                }
                used.addAll(metrics);
            }
        }
        for (String wanted : DASHBOARD_MUST_SHOW) {
            assertTrue(used.stream().anyMatch(m -> m.matches("(lambda|invoka)_" + wanted + "(_.*)?")), "the dashboard shows " + wanted);
        }
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertEquals(Set.of("a_total", "b_sum"), metricsIn(
                "sum by (function_name) (rate(a_total{x=~\"$y\", q=\"0.9\"}[$__rate_interval])) / on(z) max(b_sum offset 5m) * 1e3"));
    }

    // ---- helpers ----

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    /** The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricsIn(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("(?<![\\w:.$])([A-Za-z_:][\\w:]*)\\s*(\\(?)").matcher(bare);
        while (m.find()) {
            if (m.group(2).isEmpty() && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) names.add(m.group(1));
        }
        return names;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, String> podLabels(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static Container node(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals("invoka"))
                .findFirst().orElseThrow(() -> new AssertionError("no container named invoka"));
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static Optional<String> envValue(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }

    private static String env(Container c, String name) {
        return envValue(c, name).orElseThrow(() -> new AssertionError(name + " is not set on " + c.getName()));
    }

    private static void assertProbe(Probe probe, String path, String what) {
        assertNotNull(probe, what + " probe");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, what + " probe is an HTTP GET");
        assertEquals(path, get.getPath(), what + " probe path");
        assertEquals("management", get.getPort().getStrVal(), what + " probe port");
    }

    private static boolean readsPods(PolicyRule rule) {
        return rule.getApiGroups().contains("") && rule.getResources().contains("pods")
                && (rule.getVerbs().contains("*") || rule.getVerbs().containsAll(List.of("get", "list", "watch")));
    }

    private static Set<String> configMapKeys(Kustomization k, String name) {
        ConfigMap cm = k.one(ConfigMap.class, name);
        return Optional.ofNullable(cm.getData()).map(Map::keySet).orElse(Set.of());
    }

    private static Set<String> secretKeys(Kustomization k, String name) {
        Secret s = k.one(Secret.class, name);
        Set<String> keys = new HashSet<>();
        if (s.getData() != null) keys.addAll(s.getData().keySet());
        if (s.getStringData() != null) keys.addAll(s.getStringData().keySet());
        return keys;
    }

    /** Whether a variable is defined on the container: directly, or by a ConfigMap or Secret it takes whole. */
    private static boolean reaches(Kustomization k, Container c, String name) {
        if (c.getEnv() != null && c.getEnv().stream().anyMatch(e -> e.getName().equals(name))) return true;
        return Optional.ofNullable(c.getEnvFrom()).orElse(List.of()).stream().anyMatch(from ->
                (from.getConfigMapRef() != null && configMapKeys(k, from.getConfigMapRef().getName()).contains(name))
                || (from.getSecretRef() != null && secretKeys(k, from.getSecretRef().getName()).contains(name)));
    }

    /** An int-or-percent of {@code total}, rounded up or down as Kubernetes does for that field. */
    private static int scaled(IntOrString value, int total, boolean roundUp) {
        assertNotNull(value, "set explicitly");
        if (value.getIntVal() != null) return value.getIntVal();
        BigDecimal share = new BigDecimal(value.getStrVal().replace("%", "")).multiply(BigDecimal.valueOf(total))
                .divide(BigDecimal.valueOf(100));
        return share.setScale(0, roundUp ? java.math.RoundingMode.CEILING : java.math.RoundingMode.FLOOR).intValueExact();
    }

    /** A HOCON duration as the node reads INVOKA_SHUTDOWN_DRAIN: 5s, 500ms, 1m. */
    static Duration hocon(String value) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m)?").matcher(value.trim());
        if (!m.matches()) fail("not a duration: " + value);
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null ? Duration.ofMillis(n) : switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** Every value under {@code key}, anywhere in a parsed JSON tree. */
    private static void collect(Object node, String key, List<Object> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (key.equals(k)) out.add(v);
                collect(v, key, out);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collect(v, key, out));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> maps(Object list) {
        return list == null ? new ArrayList<>() : (List<Map<?, ?>>) list;
    }
}
