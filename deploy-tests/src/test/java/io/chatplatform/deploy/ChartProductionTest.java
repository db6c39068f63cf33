package io.chatplatform.deploy;

import static io.chatplatform.deploy.Manifests.container;
import static io.chatplatform.deploy.Manifests.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm/values-production.yaml, key files, upgrades, and the other ingress controller. */
class ChartProductionTest {

    @AfterEach
    void noLiveSecrets() {
        HelmChart.clearLiveSecrets();
    }

    @Test
    void productionValuesUseExistingSecretsAndHardSpreading() {
        Manifests m = HelmChart.render(HelmChart.PRODUCTION_VALUES, Map.of());
        assertEquals(List.of(), m.all(Secret.class), "credentials come from existing Secrets only");
        for (String c : ServiceFacts.COMPONENTS) {
            Deployment d = m.deployment(c);
            Container container = container(d);
            assertEquals("registry.example.com/chat/" + c + "-service:0.1.0", container.getImage());
            assertEquals("registry-example-com", d.getSpec().getTemplate().getSpec().getImagePullSecrets().get(0).getName());
            for (EnvVar env : container.getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    assertEquals("chat-secrets", env.getValueFrom().getSecretKeyRef().getName(), env.getName());
                    assertEquals(env.getName(), env.getValueFrom().getSecretKeyRef().getKey(), "keys are the variable names");
                }
            }
            var required = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution();
            assertEquals(1, required.size(), c + ": hard anti-affinity");
        }
        for (String c : ServiceFacts.COMPONENTS) {
            ServiceFacts facts = ServiceFacts.of(c);
            for (EnvVar env : container(m.deployment(c)).getEnv()) {
                assertTrue(facts.reads(env.getName()), facts.module() + " does not read " + env.getName());
            }
        }
        Deployment auth = m.deployment("auth");
        assertEquals(3, auth.getSpec().getReplicas());
        assertEquals("chat-jwt", auth.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName());
        assertEquals("10.244.0.0/16", m.envValue(container(auth), "AUTH_TRUSTED_PROXIES").orElseThrow());
        assertEquals("cluster", m.envValue(container(auth), "QUARKUS_REDIS_CLIENT_TYPE").orElseThrow());

        Container chat = container(m.deployment("chat"));
        assertEquals("https://chat.example.com,https://app.example.com", m.envValue(chat, "CHAT_ALLOWED_ORIGINS").orElseThrow());
        assertEquals("16", m.envValue(chat, "CHAT_LOG_PARTITIONS").orElseThrow());
        assertEquals("https://app.example.com", m.envValue(container(auth), "CORS_ORIGINS").orElseThrow());
        assertEquals("https://app.example.com", m.envValue(container(m.deployment("history")), "CORS_ORIGINS").orElseThrow());
        assertTrue(chat.getEnv().stream().noneMatch(e -> e.getName().equals("CORS_ORIGINS")), "chat has no CORS filter");
        assertEquals("16", m.envValue(container(m.deployment("history")), "HISTORY_PARTITIONS").orElseThrow());
        assertEquals("https://chat.example.com/auth", m.envValue(chat, "AUTH_JWT_ISSUER").orElseThrow());
        assertEquals(60L, m.deployment("chat").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertEquals(10L, ChartDefaultsTest.preStopSleep(chat));
        assertEquals("realtime", m.deployment("chat").getSpec().getTemplate().getSpec().getNodeSelector().get("node-pool"));
        assertEquals(30, m.hpa("chat").orElseThrow().getSpec().getMaxReplicas());
        assertEquals(2, m.hpa("chat").orElseThrow().getSpec().getMetrics().size(), "cpu and memory");
        assertEquals(2, m.pdb("history").orElseThrow().getSpec().getMinAvailable().getIntVal());
        assertTrue(container(m.deployment("history")).getEnv().stream()
                .anyMatch(e -> e.getName().equals("HISTORY_RETENTION_MESSAGE_TTL") && e.getValue().equals("365d")));

        Ingress ingress = m.ingress();
        assertEquals("chat.example.com", ingress.getSpec().getRules().get(0).getHost());
        assertEquals(List.of("chat.example.com"), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals("letsencrypt", ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"));
        assertEquals("3600", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
    }

    @Test
    void keyFilesBecomeTheSecretAuthReads(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privatePem = dir.resolve("private.pem");
        Path publicPem = dir.resolve("public.pem");
        Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));

        Manifests m = HelmChart.render(Map.of("jwt.privateKey", privatePem, "jwt.publicKey", publicPem));
        Secret jwt = m.get(Secret.class, name("jwt"));
        assertEquals(Set.of("private.pem", "public.pem"), jwt.getData().keySet());
        // decoded exactly as auth-service's SigningKeys does: PKCS#8 and X.509 DER inside PEM armour
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        rsa.generatePrivate(new PKCS8EncodedKeySpec(der(jwt.getData().get("private.pem"))));
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(jwt.getData().get("public.pem"))));
        assertEquals(((RSAPublicKey) pair.getPublic()).getModulus(), publicKey.getModulus());
        assertEquals(name("jwt"), m.deployment("auth").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String secretValue) {
        String pem = new String(Base64.getDecoder().decode(secretValue), StandardCharsets.US_ASCII);
        return Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    @Test
    void anUpgradeKeepsTheGeneratedAdminPasswordAndMediaUrlKey() {
        HelmChart.putLiveSecret(name("secrets"), Map.of("AUTH_ADMIN_PASSWORD", "kept-from-the-first-install",
                "MEDIA_URL_SECRET", "media-key-kept-from-the-first-install"));
        Manifests m = HelmChart.render(Map.of());
        assertEquals("kept-from-the-first-install", m.envValue(container(m.deployment("auth")), "AUTH_ADMIN_PASSWORD").orElseThrow());
        assertEquals("media-key-kept-from-the-first-install",
                m.envValue(container(m.deployment("history")), "MEDIA_URL_SECRET").orElseThrow(),
                "signed URLs in flight stay valid across an upgrade");
    }

    @Test
    void explicitCredentialsLandInTheSecret() {
        Manifests m = HelmChart.render(Map.of("admin.password", "an-admin-password", "mysql.password", "db-pass",
                "redis.password", "redis-pass"));
        Container auth = container(m.deployment("auth"));
        assertEquals("an-admin-password", m.envValue(auth, "AUTH_ADMIN_PASSWORD").orElseThrow());
        assertEquals("db-pass", m.envValue(auth, "QUARKUS_DATASOURCE_PASSWORD").orElseThrow());
        assertEquals("redis-pass", m.envValue(auth, "QUARKUS_REDIS_PASSWORD").orElseThrow());
    }

    @Test
    void deskSettingsReachChatAsTheVariablesItReads() {
        Manifests m = HelmChart.render(Map.of("chat.desk.assignment", "auto", "chat.desk.agentCapacity", "8",
                "chat.desk.reassignAfter", "90s", "chat.desk.firstResponse", "3m",
                "chat.desk.hours", "Mon-Fri 09:00-18:00 Europe/Berlin", "chat.desk.offlineMessage", "Back at 9"));
        Container chat = container(m.deployment("chat"));
        Map<String, String> expected = Map.of("CHAT_DESK_ASSIGNMENT", "auto", "CHAT_DESK_AGENT_CAPACITY", "8",
                "CHAT_DESK_REASSIGN_AFTER", "90s", "CHAT_DESK_FIRST_RESPONSE", "3m",
                "CHAT_DESK_HOURS", "Mon-Fri 09:00-18:00 Europe/Berlin", "CHAT_DESK_OFFLINE_MESSAGE", "Back at 9");
        ServiceFacts facts = ServiceFacts.of("chat");
        expected.forEach((name, value) -> {
            assertEquals(value, m.envValue(chat, name).orElseThrow(), name);
            assertTrue(facts.reads(name), "chat-service does not read " + name);
        });
        Container defaults = container(HelmChart.render(Map.of()).deployment("chat"));
        assertTrue(defaults.getEnv().stream().noneMatch(e -> e.getName().startsWith("CHAT_DESK_")),
                "unset values leave chat-service's defaults");
    }

    @Test
    void installNotesSayHowToCreateTheKeysAndReadThePassword() {
        String notes = HelmChart.installDryRun(Map.of());
        assertTrue(notes.contains("kubectl -n chat create secret generic " + name("jwt")), notes);
        assertTrue(notes.contains("openssl genpkey -algorithm RSA"), notes);
        assertTrue(notes.contains("get secret " + name("secrets") + " -o jsonpath='{.data.AUTH_ADMIN_PASSWORD}'"), notes);
        String withKeys = HelmChart.installDryRun(Map.of("jwt.existingSecret", "chat-jwt", "admin.password", "an-admin-password"));
        assertTrue(!withKeys.contains("openssl") && !withKeys.contains("AUTH_ADMIN_PASSWORD"), withKeys);
        assertTrue(withKeys.contains("ws://chat.local/ws"), withKeys);
    }

    @Test
    void nginxIncControllerGetsItsWebSocketAnnotations() {
        Manifests m = HelmChart.render(Map.of("ingress.controller", "nginx-inc"));
        Map<String, String> a = m.ingress().getMetadata().getAnnotations();
        assertEquals(name("chat"), a.get("nginx.org/websocket-services"));
        assertEquals("3600s", a.get("nginx.org/proxy-read-timeout"));
        assertEquals("3600s", a.get("nginx.org/proxy-send-timeout"));
        assertTrue(a.keySet().stream().noneMatch(k -> k.startsWith("nginx.ingress.kubernetes.io/")));
    }

    @Test
    void withoutAutoscalingTheReplicaCountsApply() {
        Manifests m = HelmChart.render(Map.of("chat.autoscaling.enabled", false, "chat.replicaCount", 5,
                "history.podDisruptionBudget.enabled", false, "ingress.enabled", false, "auth.podAntiAffinity", "none"));
        assertEquals(5, m.deployment("chat").getSpec().getReplicas());
        assertTrue(m.hpa("chat").isEmpty());
        assertTrue(m.hpa("history").isPresent());
        assertTrue(m.pdb("history").isEmpty());
        assertTrue(m.all(Ingress.class).isEmpty());
        assertEquals(null, m.deployment("auth").getSpec().getTemplate().getSpec().getAffinity());
        assertEquals(Set.of("auth", "chat", "history"), m.all(Deployment.class).stream()
                .map(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component")).collect(Collectors.toSet()));
    }
}
