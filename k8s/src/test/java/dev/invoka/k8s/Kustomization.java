package dev.invoka.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code kustomize build <dir>} would produce, for the features these manifests use: {@code resources:}
 * (files, multi-document YAML, and directories holding a kustomization.yaml), {@code configMapGenerator:} and
 * {@code secretGenerator:} ({@code literals}, {@code files}, {@code behavior: create|merge|replace},
 * {@code options.labels}) and {@code images:} ({@code newName}, {@code newTag}). Generated names carry no hash
 * suffix: references stay by the plain name, as kustomize rewrites them anyway. Anything else in a
 * kustomization.yaml fails the load, so a new feature cannot slip by unchecked.
 */
final class Kustomization {

    static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final List<HasMetadata> resources;

    private Kustomization(List<HasMetadata> resources) {
        this.resources = resources;
    }

    /** Builds the kustomization in {@code dir}, relative to the k8s module (the tests' working directory). */
    static Kustomization load(String dir) {
        return new Kustomization(build(Path.of(dir).toAbsolutePath().normalize()));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "exactly one " + type.getSimpleName() + " named " + name);
        return found.get(0);
    }

    /** The pod templates of every Deployment and StatefulSet. */
    List<PodTemplateSpec> podTemplates() {
        return Stream.concat(all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate())).toList();
    }

    private static final List<String> KNOWN = List.of("apiVersion", "kind", "resources", "configMapGenerator",
            "secretGenerator", "images");

    private static List<HasMetadata> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        assertTrue(Files.isRegularFile(file), "no kustomization.yaml in " + dir);
        Map<?, ?> k = YAML.unmarshal(read(file), Map.class);
        for (Object key : k.keySet()) assertTrue(KNOWN.contains(key), file + ": this test does not understand " + key);

        List<HasMetadata> out = new ArrayList<>();
        for (Object entry : list(k.get("resources"))) {
            Path p = dir.resolve((String) entry).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                assertTrue(p.startsWith(dir), file + ": " + entry + " is a file outside the kustomization's folder");
                assertTrue(Files.isRegularFile(p), file + ": " + entry + " does not exist");
                out.addAll(manifests(p));
            }
        }
        for (Map<?, ?> g : maps(k.get("configMapGenerator"))) {
            generate(out, dir, g, false);
        }
        for (Map<?, ?> g : maps(k.get("secretGenerator"))) {
            generate(out, dir, g, true);
        }
        for (Map<?, ?> image : maps(k.get("images"))) {
            for (HasMetadata r : out) {
                PodTemplateSpec t = r instanceof Deployment d ? d.getSpec().getTemplate()
                        : r instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
                if (t != null) t.getSpec().getContainers().forEach(c -> retag(c, image));
            }
        }
        return out;
    }

    private static void retag(Container c, Map<?, ?> image) {
        String current = c.getImage();
        int colon = current.lastIndexOf(':');
        String name = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
        String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : null;
        if (!name.equals(image.get("name"))) return;
        if (image.get("newName") != null) name = (String) image.get("newName");
        if (image.get("newTag") != null) tag = String.valueOf(image.get("newTag"));
        c.setImage(tag == null ? name : name + ":" + tag);
    }

    private static void generate(List<HasMetadata> out, Path dir, Map<?, ?> g, boolean secret) {
        String name = (String) g.get("name");
        Map<String, String> data = new LinkedHashMap<>();
        for (Object literal : list(g.get("literals"))) {
            String s = (String) literal;
            int eq = s.indexOf('=');
            data.put(s.substring(0, eq), s.substring(eq + 1));
        }
        for (Object entry : list(g.get("files"))) {
            String s = (String) entry;
            int eq = s.indexOf('=');
            Path p = dir.resolve(eq < 0 ? s : s.substring(eq + 1)).normalize();
            assertTrue(p.startsWith(dir) && Files.isRegularFile(p), dir + ": generator file " + s + " is not in the folder");
            data.put(eq < 0 ? p.getFileName().toString() : s.substring(0, eq), read(p));
        }
        Map<?, ?> options = g.get("options") instanceof Map<?, ?> m ? m : Map.of();
        Map<String, String> labels = new LinkedHashMap<>();
        if (options.get("labels") instanceof Map<?, ?> m) m.forEach((key, v) -> labels.put((String) key, (String) v));

        String behavior = g.get("behavior") == null ? "create" : (String) g.get("behavior");
        Class<? extends HasMetadata> type = secret ? Secret.class : ConfigMap.class;
        HasMetadata existing = out.stream().filter(r -> type.isInstance(r) && name.equals(r.getMetadata().getName()))
                .findFirst().orElse(null);
        assertEquals(behavior.equals("create"), existing == null,
                dir + ": generator " + name + " with behavior " + behavior + (existing == null ? " has nothing to change" : " already exists"));
        if (behavior.equals("merge")) {
            Map<String, String> merged = new LinkedHashMap<>(secret ? decode(((Secret) existing).getData()) : ((ConfigMap) existing).getData());
            merged.putAll(data);
            data = merged;
            labels.putAll(existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels());
        }
        if (existing != null) out.remove(existing);
        out.add(secret
                ? new SecretBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withType("Opaque")
                        .withData(encode(data)).build()
                : new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withData(data).build());
    }

    /** Every document of a YAML file, each parsed into its fabric8 model class. */
    private static List<HasMetadata> manifests(Path file) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : read(file).split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) continue;
            Object parsed = YAML.unmarshal(doc);
            assertTrue(parsed instanceof HasMetadata, file + ": not a Kubernetes resource: " + doc.strip().lines().findFirst().orElse(""));
            HasMetadata r = (HasMetadata) parsed;
            assertTrue(r.getMetadata() != null && r.getMetadata().getName() != null, file + ": a resource without a name");
            out.add(r);
        }
        return out;
    }

    private static Map<String, String> encode(Map<String, String> data) {
        Map<String, String> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return out;
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> maps(Object o) {
        return o == null ? List.of() : (List<Map<?, ?>>) o;
    }
}
