package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad values fail at install time (values.schema.json and the chart's own checks), with a useful message. */
class ChartValidationTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                // values.schema.json
                Arguments.of("auth:\n  replicaCount: -1\n", "replicaCount"),
                Arguments.of("chat:\n  replicaCount: two\n", "replicaCount"),
                Arguments.of("image:\n  repository: \"\"\n", "repository"),
                Arguments.of("image:\n  repository: null\n", "repository"),
                Arguments.of("image:\n  pullPolicy: Sometimes\n", "pullPolicy"),
                Arguments.of("chat:\n  replicas: 3\n", "replicas"),
                Arguments.of("logPartitions: 0\n", "logPartitions"),
                Arguments.of("redis:\n  hosts: localhost:6379\n", "hosts"),
                Arguments.of("redis:\n  clientType: galaxy\n", "clientType"),
                Arguments.of("mysql:\n  jdbcUrl: mysql://db:3306/chat_auth\n", "jdbcUrl"),
                Arguments.of("mongodb:\n  connectionString: db:27017\n", "connectionString"),
                Arguments.of("admin:\n  password: short\n", "password"),
                Arguments.of("admin:\n  username: \"a b\"\n", "username"),
                Arguments.of("ingress:\n  websocketTimeoutSeconds: 60\n", "websocketTimeoutSeconds"),
                Arguments.of("ingress:\n  controller: traefik\n", "controller"),
                Arguments.of("chat:\n  allowedOrigins: [\"chat.example.com\"]\n", "allowedOrigins"),
                Arguments.of("corsOrigins: [\"https://app.example.com/\"]\n", "corsOrigins"),
                Arguments.of("chat:\n  autoscaling:\n    maxReplicas: 0\n", "maxReplicas"),
                Arguments.of("history:\n  podAntiAffinity: always\n", "podAntiAffinity"),
                Arguments.of("history:\n  podDisruptionBudget:\n    enabled: true\n    minAvailable: 150%\n", "minAvailable"),
                Arguments.of("podSecurityContext:\n  runAsNonRoot: false\n", "runAsNonRoot"),
                Arguments.of("auth:\n  resources:\n    requests:\n      memory: lots\n", "memory"),
                // the chart's cross-field checks
                Arguments.of("chat:\n  terminationGracePeriodSeconds: 10\n", "chat.terminationGracePeriodSeconds"),
                Arguments.of("history:\n  terminationGracePeriodSeconds: 15\n", "history.terminationGracePeriodSeconds"),
                Arguments.of("chat:\n  autoscaling:\n    minReplicas: 5\n    maxReplicas: 3\n", "minReplicas"),
                Arguments.of("jwt:\n  privateKey: \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"\n",
                        "jwt.privateKey and jwt.publicKey go together"),
                Arguments.of("jwt:\n  privateKey: \"-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\\n\"\n"
                        + "  publicKey: \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n\"\n", "PKCS#8"),
                Arguments.of("ingress:\n  host: \"\"\n", "host"),
                Arguments.of("metrics:\n  prometheusRule:\n    enabled: true\n    backlogFor: ten minutes\n", "backlogFor"),
                Arguments.of("metrics:\n  prometheusRule:\n    backlogEntries: 0\n", "backlogEntries"),
                Arguments.of("metrics:\n  prometheusRule:\n    historyLagSeconds: 1.5\n", "historyLagSeconds"),
                Arguments.of("metrics:\n  prometheusRule:\n    selector: namespace=chat\n", "selector"),
                Arguments.of("metrics:\n  prometheusRule:\n    enabled: yes please\n", "enabled"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void installFails(String values, String expectedInMessage, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad-values.yaml");
        Files.writeString(file, values);
        Exception e = assertThrows(Exception.class, () -> HelmChart.template(List.of(file), Map.of()),
                "helm template accepted:\n" + values);
        assertTrue(e.getMessage().contains(expectedInMessage),
                "message should name " + expectedInMessage + ", was: " + e.getMessage());
    }

    @Test
    void productionValuesPassTheSchema() {
        HelmChart.template(List.of(HelmChart.PRODUCTION_VALUES), Map.of());
    }
}
