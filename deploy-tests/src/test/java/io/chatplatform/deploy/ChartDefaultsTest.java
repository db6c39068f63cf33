package io.chatplatform.deploy;

import static io.chatplatform.deploy.Manifests.container;
import static io.chatplatform.deploy.Manifests.containerPort;
import static io.chatplatform.deploy.Manifests.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm lint} and {@code helm template} with the chart's default values. */
class ChartDefaultsTest {

    /** The variables each service must get (README "Configuration", the services' config classes). */
    static final Map<String, Set<String>> REQUIRED_ENV = Map.of(
            "auth", Set.of("QUARKUS_REDIS_HOSTS", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD", "AUTH_JWT_KEY_DIR", "AUTH_ADMIN_USERNAME", "AUTH_ADMIN_PASSWORD",
                    "AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE", "AUTH_TRUSTED_PROXIES"),
            "chat", Set.of("QUARKUS_REDIS_HOSTS", "QUARKUS_MONGODB_CONNECTION_STRING", "AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE",
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "CHAT_LOG_PARTITIONS", "CHAT_WEB_AUTH_URL", "CHAT_WEB_HISTORY_URL",
                    "MEDIA_URL_SECRET"),
            "history", Set.of("QUARKUS_REDIS_HOSTS", "QUARKUS_MONGODB_CONNECTION_STRING", "AUTH_JWT_ISSUER",
                    "AUTH_JWT_AUDIENCE", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "HISTORY_PARTITIONS", "MEDIA_URL_SECRET",
                    "HISTORY_MEDIA_MAX_BYTES", "HISTORY_HTTP_MAX_BODY_SIZE", "HISTORY_MEDIA_QUOTA_BYTES",
                    "HISTORY_MEDIA_UNREFERENCED_AFTER"));

    static Manifests manifests;

    @BeforeAll
    static void render() {
        HelmChart.clearLiveSecrets();
        manifests = HelmChart.render(Map.of());
    }

    @Test
    void lintIsClean() {
        LintResult lint = HelmChart.lint();
        assertFalse(lint.isFailed(), () -> "helm lint --strict: " + lint.getMessages());
        // only the "icon is recommended" INFO may remain
        List<String> findings = lint.getMessages().stream()
                .filter(m -> m.contains("[ERROR]") || m.contains("[WARNING]")).toList();
        assertEquals(List.of(), findings);
    }

    @Test
    void rendersEveryObjectOfTheThreeServices() {
        Map<String, Long> kinds = manifests.objects().stream()
                .collect(Collectors.groupingBy(o -> o.getKind(), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("ConfigMap", 1L, "Deployment", 3L, "HorizontalPodAutoscaler", 2L, "Ingress", 2L,
                "PodDisruptionBudget", 3L, "Secret", 1L, "Service", 3L, "ServiceAccount", 1L), kinds);
        for (String c : ServiceFacts.COMPONENTS) {
            assertNotNull(manifests.deployment(c));
            assertNotNull(manifests.service(c));
        }
        assertEquals(name("secrets"), manifests.all(Secret.class).get(0).getMetadata().getName(),
                "no JWT Secret without keys: the pods wait for <fullname>-jwt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "chat", "history"})
    void probesAndPortsAreTheOnesTheServiceServes(String component) {
        ServiceFacts facts = ServiceFacts.of(component);
        Deployment deployment = manifests.deployment(component);
        Container container = container(deployment);
        assertEquals(facts.module(), container.getName());
        assertEquals(1, container.getPorts().size());
        assertEquals(facts.port(), container.getPorts().get(0).getContainerPort(), "quarkus.http.port of " + facts.module());

        assertProbe(container, container.getLivenessProbe(), "/q/health/live", facts.port());
        assertProbe(container, container.getReadinessProbe(), "/q/health/ready", facts.port());
        assertProbe(container, container.getStartupProbe(), "/q/health/started", facts.port());

        Service service = manifests.service(component);
        assertEquals(1, service.getSpec().getPorts().size());
        assertEquals(facts.port(), service.getSpec().getPorts().get(0).getPort());
        assertEquals(facts.port(), containerPort(container, service.getSpec().getPorts().get(0).getTargetPort()));
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), "Service selects the pods");
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());

        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
        assertEquals(String.valueOf(facts.port()), annotations.get("prometheus.io/port"));
        assertNotNull(annotations.get("checksum/config"), "a config change rolls the pods");
    }

    private static void assertProbe(Container container, Probe probe, String path, int port) {
        assertNotNull(probe, path);
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, path + ": httpGet");
        assertEquals(path, get.getPath());
        assertEquals(port, containerPort(container, get.getPort()), path + " port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "chat", "history"})
    void podsRunAsNonRootWithAReadOnlyRootFileSystem(String component) {
        Deployment deployment = manifests.deployment(component);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(), "no CHAT_PORT=tcp://... from a Service named chat");
        assertEquals(Manifests.FULLNAME, pod.getServiceAccountName());
        assertTrue(manifests.find(ServiceAccount.class, pod.getServiceAccountName()).isPresent());

        Container container = container(deployment);
        var sc = container.getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError("a writable /tmp under a read-only root"));
        assertNotNull(volume(pod, tmp.getName()).getEmptyDir());

        assertNotNull(container.getResources().getRequests().get("cpu"), "the HPA needs CPU requests");
        assertNotNull(container.getResources().getRequests().get("memory"));
        assertNotNull(container.getResources().getLimits().get("memory"));
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());

        var antiAffinity = pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        assertEquals(1, antiAffinity.size());
        assertEquals("kubernetes.io/hostname", antiAffinity.get(0).getPodAffinityTerm().getTopologyKey());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                antiAffinity.get(0).getPodAffinityTerm().getLabelSelector().getMatchLabels());
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "chat", "history"})
    void envIsWhatTheServiceReads(String component) {
        ServiceFacts facts = ServiceFacts.of(component);
        Container container = container(manifests.deployment(component));
        Set<String> names = container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        assertEquals(container.getEnv().size(), names.size(), "no variable twice");
        assertTrue(names.containsAll(REQUIRED_ENV.get(component)),
                () -> "missing " + REQUIRED_ENV.get(component).stream().filter(n -> !names.contains(n)).toList());
        for (String name : names) {
            assertTrue(facts.reads(name), facts.module() + " does not read " + name
                    + " (not a key of its application.properties, not in a ${...} expression, not a @ConfigMapping property)");
        }
        // every reference resolves: a key of the rendered ConfigMap/Secret, unless marked optional
        for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() == null) {
                continue;
            }
            var sk = env.getValueFrom().getSecretKeyRef();
            if (sk != null && Boolean.TRUE.equals(sk.getOptional())) {
                continue;
            }
            assertTrue(manifests.envValue(container, env.getName()).isPresent(), env.getName() + " resolves");
        }
    }

    @Test
    void chatAndHistoryAgreeAndFindAuthsKey() {
        Container chat = container(manifests.deployment("chat"));
        Container history = container(manifests.deployment("history"));
        Container auth = container(manifests.deployment("auth"));
        assertEquals("8", manifests.envValue(chat, "CHAT_LOG_PARTITIONS").orElseThrow());
        assertEquals("http://chat.local", manifests.envValue(chat, "CHAT_WEB_AUTH_URL").orElseThrow(),
                "the web client reaches auth through the Ingress host");
        assertEquals("http://chat.local", manifests.envValue(chat, "CHAT_WEB_HISTORY_URL").orElseThrow());
        assertEquals(manifests.envValue(chat, "CHAT_LOG_PARTITIONS"), manifests.envValue(history, "HISTORY_PARTITIONS"));

        Service authService = manifests.service("auth");
        String jwks = "http://" + authService.getMetadata().getName() + ":" + authService.getSpec().getPorts().get(0).getPort()
                + "/.well-known/jwks.json";
        assertEquals(jwks, manifests.envValue(chat, "MP_JWT_VERIFY_PUBLICKEY_LOCATION").orElseThrow());
        assertEquals(jwks, manifests.envValue(history, "MP_JWT_VERIFY_PUBLICKEY_LOCATION").orElseThrow());
        for (String v : List.of("AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE")) {
            assertEquals(manifests.envValue(auth, v), manifests.envValue(chat, v), v);
            assertEquals(manifests.envValue(auth, v), manifests.envValue(history, v), v);
        }
        assertEquals("https://chat.local/auth", manifests.envValue(auth, "AUTH_JWT_ISSUER").orElseThrow());
    }

    @Test
    void authMountsTheKeyPairWhereItLooks() {
        Deployment deployment = manifests.deployment("auth");
        Container auth = container(deployment);
        String keyDir = manifests.envValue(auth, "AUTH_JWT_KEY_DIR").orElseThrow();
        VolumeMount mount = auth.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(keyDir)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + keyDir));
        assertEquals(Boolean.TRUE, mount.getReadOnly());
        Volume volume = volume(deployment.getSpec().getTemplate().getSpec(), mount.getName());
        assertEquals(name("jwt"), volume.getSecret().getSecretName());
        assertEquals(Set.of("private.pem", "public.pem"),
                volume.getSecret().getItems().stream().map(i -> i.getPath()).collect(Collectors.toSet()));
        assertEquals(1001L, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup(),
                "the non-root user reads the key through its group");
    }

    @Test
    void generatedAdminPasswordAndStoreEndpoints() {
        Container auth = container(manifests.deployment("auth"));
        assertEquals("admin", manifests.envValue(auth, "AUTH_ADMIN_USERNAME").orElseThrow());
        assertTrue(manifests.envValue(auth, "AUTH_ADMIN_PASSWORD").orElseThrow().matches("[A-Za-z0-9]{24}"));
        assertEquals("redis://redis:6379", manifests.envValue(auth, "QUARKUS_REDIS_HOSTS").orElseThrow());
        assertEquals("jdbc:mysql://mysql:3306/chat_auth", manifests.envValue(auth, "QUARKUS_DATASOURCE_JDBC_URL").orElseThrow());
        assertTrue(manifests.envValue(auth, "QUARKUS_DATASOURCE_PASSWORD").isEmpty(), "no password: key absent, optional ref");
        Container history = container(manifests.deployment("history"));
        assertEquals("mongodb://mongodb:27017", manifests.envValue(history, "QUARKUS_MONGODB_CONNECTION_STRING").orElseThrow());
        assertEquals("chat_history", manifests.envValue(history, "QUARKUS_MONGODB_DATABASE").orElseThrow());
        assertEquals("mongodb://mongodb:27017", manifests.envValue(container(manifests.deployment("chat")),
                "QUARKUS_MONGODB_CONNECTION_STRING").orElseThrow(), "chat reserves seq blocks in MongoDB");
        Map<String, String> config = manifests.find(ConfigMap.class, name("config")).orElseThrow().getData();
        assertNull(config.get("CHAT_ALLOWED_ORIGINS"), "unset: any origin");
        assertNull(config.get("CORS_ORIGINS"), "unset: no cross-origin calls");
    }

    @Test
    void chatDrainsItsConnectionsBeforeTheKill() {
        ServiceFacts chat = ServiceFacts.of("chat");
        Duration delay = chat.duration("quarkus.shutdown.delay", Duration.ZERO);
        Duration timeout = chat.duration("quarkus.shutdown.timeout", Duration.ZERO);
        assertTrue(timeout.toSeconds() > 0, "chat-service sets quarkus.shutdown.timeout");
        PodSpec pod = manifests.deployment("chat").getSpec().getTemplate().getSpec();
        long preStop = preStopSleep(container(manifests.deployment("chat")));
        assertTrue(preStop >= 3, "preStop lets the endpoint removal reach the ingress before SIGTERM");
        // after preStop: shutdown delay, then up to the shutdown timeout, then the 1001 closes (<= 5 s) and
        // leaving presence (<= 2 s) in GracefulShutdown
        long needed = preStop + delay.toSeconds() + timeout.toSeconds() + 7;
        assertTrue(pod.getTerminationGracePeriodSeconds() >= needed,
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " must cover " + needed);
        assertTrue(pod.getTerminationGracePeriodSeconds() > preStop + timeout.toSeconds());
        // the chart's own check knows these numbers too: a grace period just short of them is refused
        Exception refused = assertThrows(Exception.class, () -> HelmChart.template(List.of(),
                Map.of("chat.terminationGracePeriodSeconds", needed - 1)));
        assertTrue(refused.getMessage().contains("chat.terminationGracePeriodSeconds"), refused.getMessage());
    }

    @Test
    void historyFinishesItsBatchBeforeTheKill() {
        ServiceFacts history = ServiceFacts.of("history");
        Duration ingest = history.duration("history.ingest.shutdown-timeout", Duration.ofSeconds(15));
        PodSpec pod = manifests.deployment("history").getSpec().getTemplate().getSpec();
        long needed = preStopSleep(container(manifests.deployment("history"))) + ingest.toSeconds();
        assertTrue(pod.getTerminationGracePeriodSeconds() > needed,
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " must exceed " + needed);
        Exception refused = assertThrows(Exception.class, () -> HelmChart.template(List.of(),
                Map.of("history.terminationGracePeriodSeconds", needed)));
        assertTrue(refused.getMessage().contains("history.terminationGracePeriodSeconds"), refused.getMessage());
    }

    static long preStopSleep(Container container) {
        assertNotNull(container.getLifecycle(), container.getName() + ": lifecycle");
        List<String> command = container.getLifecycle().getPreStop().getExec().getCommand();
        assertEquals("sleep", command.get(0));
        return Long.parseLong(command.get(1));
    }

    @Test
    void ingressRoutesEachPathToItsServiceWithWebSocketTimeouts() {
        Ingress ingress = manifests.ingress();
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertEquals(1, ingress.getSpec().getRules().size());
        assertEquals("chat.local", ingress.getSpec().getRules().get(0).getHost());
        Map<String, String> routes = new TreeMap<>();
        for (HTTPIngressPath path : ingress.getSpec().getRules().get(0).getHttp().getPaths()) {
            var backend = path.getBackend().getService();
            Service service = manifests.get(Service.class, backend.getName());
            assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(backend.getPort().getName())),
                    path.getPath() + ": the Service has port " + backend.getPort().getName());
            routes.put(path.getPath() + " " + path.getPathType(), backend.getName());
        }
        assertEquals(Map.ofEntries(
                Map.entry("/auth Prefix", name("auth")),
                Map.entry("/groups Prefix", name("auth")),
                Map.entry("/.well-known/jwks.json Exact", name("auth")),
                Map.entry("/ws Exact", name("chat")),
                Map.entry("/history Prefix", name("history")),
                Map.entry("/ Exact", name("chat")),
                Map.entry("/index.html Exact", name("chat")),
                Map.entry("/app.css Exact", name("chat")),
                Map.entry("/favicon.svg Exact", name("chat")),
                Map.entry("/config.json Exact", name("chat")),
                Map.entry("/js Prefix", name("chat"))), routes);
        assertTrue(routes.keySet().stream().noneMatch(r -> r.startsWith("/q")), "health and metrics stay internal");

        Map<String, String> a = ingress.getMetadata().getAnnotations();
        assertTrue(Integer.parseInt(a.get("nginx.ingress.kubernetes.io/proxy-read-timeout")) >= 3600);
        assertTrue(Integer.parseInt(a.get("nginx.ingress.kubernetes.io/proxy-send-timeout")) >= 3600);
        // ingress-nginx sends "Upgrade: $http_upgrade" and "Connection: $connection_upgrade" on every location;
        // the upgrade needs HTTP/1.1 upstream and no Connection header override
        assertEquals("1.1", a.get("nginx.ingress.kubernetes.io/proxy-http-version"));
        assertFalse(a.containsKey("nginx.ingress.kubernetes.io/connection-proxy-header"));
        assertFalse(a.containsKey("nginx.ingress.kubernetes.io/configuration-snippet"),
                "snippets are off by default in ingress-nginx: an install would be refused");
    }

    @Test
    void mediaGoesToHistoryWithABodyLimitFromMaxBytesAndChatAndHistoryShareTheUrlKey() {
        Ingress media = manifests.mediaIngress();
        assertEquals("nginx", media.getSpec().getIngressClassName());
        assertEquals("chat.local", media.getSpec().getRules().get(0).getHost());
        List<HTTPIngressPath> paths = media.getSpec().getRules().get(0).getHttp().getPaths();
        assertEquals(1, paths.size());
        assertEquals("/media", paths.get(0).getPath());
        assertEquals("Prefix", paths.get(0).getPathType());
        assertEquals(name("history"), paths.get(0).getBackend().getService().getName());
        assertEquals("http", paths.get(0).getBackend().getService().getPort().getName());
        Map<String, String> a = media.getMetadata().getAnnotations();
        assertEquals("22m", a.get("nginx.ingress.kubernetes.io/proxy-body-size"), "20 MiB of media.maxBytes, plus room");
        assertEquals("off", a.get("nginx.ingress.kubernetes.io/proxy-request-buffering"), "uploads stream through");
        assertEquals("1m", manifests.ingress().getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"),
                "the REST paths keep their small limit");

        Container chat = container(manifests.deployment("chat"));
        Container history = container(manifests.deployment("history"));
        String key = manifests.envValue(chat, "MEDIA_URL_SECRET").orElseThrow();
        assertTrue(key.matches("[A-Za-z0-9]{32}"), key);
        assertEquals(key, manifests.envValue(history, "MEDIA_URL_SECRET").orElseThrow(), "history checks what chat signs");
        assertEquals("20971520", manifests.envValue(history, "HISTORY_MEDIA_MAX_BYTES").orElseThrow());
        assertEquals(ServiceFacts.of("history").properties().getProperty("history.media.max-bytes"),
                "${HISTORY_MEDIA_MAX_BYTES:20971520}", "the chart's default is the service's");
        assertEquals("64M", manifests.envValue(history, "HISTORY_HTTP_MAX_BODY_SIZE").orElseThrow(), "the service's own default");
        assertEquals("1073741824", manifests.envValue(history, "HISTORY_MEDIA_QUOTA_BYTES").orElseThrow());
        assertEquals("1d", manifests.envValue(history, "HISTORY_MEDIA_UNREFERENCED_AFTER").orElseThrow());

        Manifests bigger = HelmChart.render(Map.of("media.maxBytes", 52428800, "media.urlSecret", "k".repeat(40),
                "ingress.controller", "nginx-inc"));
        assertEquals("52m", bigger.mediaIngress().getMetadata().getAnnotations().get("nginx.org/client-max-body-size"));
        assertEquals("52428800", bigger.envValue(container(bigger.deployment("history")), "HISTORY_MEDIA_MAX_BYTES").orElseThrow());
        Manifests huge = HelmChart.render(Map.of("media.maxBytes", 209715200));
        assertEquals("202M", huge.envValue(container(huge.deployment("history")), "HISTORY_HTTP_MAX_BODY_SIZE").orElseThrow(),
                "Vert.x's limit rises above maxBytes, so the JSON 413 still comes from history");
        assertEquals("202m", huge.mediaIngress().getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals("k".repeat(40), bigger.envValue(container(bigger.deployment("chat")), "MEDIA_URL_SECRET").orElseThrow());
    }

    @Test
    void chatAndHistoryAutoscaleAndEveryServiceHasADisruptionBudget() {
        for (String c : List.of("chat", "history")) {
            HorizontalPodAutoscaler hpa = manifests.hpa(c).orElseThrow(() -> new AssertionError("no HPA for " + c));
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertEquals(name(c), hpa.getSpec().getScaleTargetRef().getName());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2);
            assertTrue(hpa.getSpec().getMaxReplicas() >= hpa.getSpec().getMinReplicas());
            assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
            assertNull(manifests.deployment(c).getSpec().getReplicas(), c + ": the HPA owns the replica count");
            assertEquals(1, hpa.getSpec().getBehavior().getScaleDown().getPolicies().get(0).getValue(),
                    "scale in one pod at a time");
        }
        assertTrue(manifests.hpa("auth").isEmpty());
        assertEquals(2, manifests.deployment("auth").getSpec().getReplicas());
        for (String c : ServiceFacts.COMPONENTS) {
            PodDisruptionBudget pdb = manifests.pdb(c).orElseThrow(() -> new AssertionError("no PDB for " + c));
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
            assertEquals(manifests.deployment(c).getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        }
    }
}
