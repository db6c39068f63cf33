package io.chatplatform.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart under test, rendered by Helm itself: helm-java runs Helm's Go library (a native library in a Maven
 * package), so no helm binary, no Docker and no cluster is needed.
 *
 * <p>helm-java's {@code template} answers {@code lookup} from a live API server (a real {@code helm template}
 * returns an empty result instead), so every render runs against a tiny fake Kubernetes API on loopback that
 * knows Secrets only: none exist unless a test puts one there. {@code KUBECONFIG} (set by surefire) names the
 * file that points Helm at it.
 */
final class HelmChart {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/chat-platform");
    static final Path PRODUCTION_VALUES = REPO.resolve("helm/values-production.yaml");
    static final String RELEASE = "chat";
    static final String NAMESPACE = "chat";
    /** Helm-java's built-in default is Kubernetes 1.20, below the chart's kubeVersion; real helm uses its own. */
    static final String KUBE_VERSION = "1.30.0";

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final Map<String, Map<String, Object>> LIVE_SECRETS = new ConcurrentHashMap<>();
    private static HttpServer fakeApi;

    private HelmChart() {
    }

    static LintResult lint() {
        startFakeApi();
        return new Helm(CHART).lint().strict().call();
    }

    /** {@code helm template chat helm/chat-platform -n chat [-f file]... [--set k=v]...} */
    static String template(List<Path> valuesFiles, Map<String, Object> set) {
        startFakeApi();
        TemplateCommand command = new Helm(CHART).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (var e : set.entrySet()) {
            command = e.getValue() instanceof Path file ? command.setFile(e.getKey(), file) : command.set(e.getKey(), e.getValue());
        }
        return command.call();
    }

    /** {@code helm install --dry-run=client}: the release report with the rendered NOTES. */
    static String installDryRun(Map<String, Object> set) {
        var command = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .dryRun().withDryRunOption(com.marcnuri.helm.DryRun.CLIENT).clientOnly();
        for (var e : set.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return command.call().getOutput();
    }

    static Manifests render(Map<String, Object> set) {
        return new Manifests(parse(template(List.of(), set)));
    }

    static Manifests render(Path valuesFile, Map<String, Object> set) {
        return new Manifests(parse(template(List.of(valuesFile), set)));
    }

    /** A Secret the fake API server returns to {@code lookup}, as on an upgrade. */
    static void putLiveSecret(String name, Map<String, String> data) {
        Map<String, Object> b64 = new LinkedHashMap<>();
        data.forEach((k, v) -> b64.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        LIVE_SECRETS.put(name, Map.of("apiVersion", "v1", "kind", "Secret",
                "metadata", Map.of("name", name, "namespace", NAMESPACE), "type", "Opaque", "data", b64));
    }

    static void clearLiveSecrets() {
        LIVE_SECRETS.clear();
    }

    /**
     * Every document of the rendered stream as a typed fabric8 model object. Fails when a document is not a
     * known Kubernetes kind, or carries a field its kind does not have (fabric8 keeps those in
     * {@code additionalProperties}; a typo such as {@code readinesProbe} would land there).
     */
    /** Custom resources the chart may render (apiVersion + kind), parsed as generic resources. */
    static final Set<String> CUSTOM_KINDS = Set.of("monitoring.coreos.com/v1 PrometheusRule");

    static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            KubernetesResource resource;
            try {
                resource = YAML.readValue(doc, KubernetesResource.class);
            } catch (IOException e) {
                throw new AssertionError("not a Kubernetes object:\n" + doc, e);
            }
            if (resource instanceof GenericKubernetesResource generic && CUSTOM_KINDS.contains(
                    generic.getApiVersion() + " " + generic.getKind())) {
                objects.add(generic); // no typed model offline: the test of that kind checks its fields itself
                continue;
            }
            if (!(resource instanceof HasMetadata object) || resource.getClass().getSimpleName().startsWith("Generic")) {
                throw new AssertionError("unknown kind (" + resource.getClass().getName() + "):\n" + doc);
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(object, object.getKind() + "/" + object.getMetadata().getName(), unknown,
                    java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
            if (!unknown.isEmpty()) {
                throw new AssertionError("fields that " + object.getKind() + " does not have: " + unknown + "\n" + doc);
            }
            objects.add(object);
        }
        return objects;
    }

    private static void unknownFields(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + " " + extra.keySet());
                }
            } else if (value != null && !(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)
                    && !(value instanceof Enum<?>)) {
                unknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
    }

    /** Serves just enough of the Kubernetes API for Helm's {@code lookup} of a Secret. */
    private static synchronized void startFakeApi() {
        if (fakeApi != null) {
            return;
        }
        try {
            fakeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fakeApi.createContext("/", HelmChart::answer);
        fakeApi.start();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                contexts:
                  - name: fake
                    context: {cluster: fake, user: fake, namespace: %s}
                users:
                  - name: fake
                    user: {}
                current-context: fake
                """.formatted(fakeApi.getAddress().getPort(), NAMESPACE);
        String target = System.getenv("KUBECONFIG");
        // never overwrite a real kubeconfig: only the file surefire names (target/fake-kubeconfig.yaml)
        if (target == null || !Path.of(target).getFileName().toString().equals("fake-kubeconfig.yaml")) {
            throw new IllegalStateException("KUBECONFIG=" + target + " is not the tests' fake-kubeconfig.yaml (surefire sets it; "
                    + "run through Maven): Helm's lookup must not reach a real cluster");
        }
        try {
            Files.createDirectories(Path.of(target).toAbsolutePath().getParent());
            Files.writeString(Path.of(target), kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Object body;
        int status = 200;
        if (path.equals("/api")) {
            body = Map.of("kind", "APIVersions", "versions", List.of("v1"),
                    "serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1")));
        } else if (path.equals("/apis")) {
            body = Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of());
        } else if (path.equals("/api/v1")) {
            body = Map.of("kind", "APIResourceList", "groupVersion", "v1", "resources", List.of(
                    Map.of("name", "secrets", "singularName", "secret", "namespaced", true, "kind", "Secret",
                            "verbs", List.of("get", "list"))));
        } else if (path.startsWith("/api/v1/namespaces/" + NAMESPACE + "/secrets/")
                && LIVE_SECRETS.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
            body = LIVE_SECRETS.get(path.substring(path.lastIndexOf('/') + 1));
        } else {
            status = 404;
            body = Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound", "code", 404,
                    "message", path + " not found");
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
