package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.prometheusRule: the log-headroom alerts as a PrometheusRule (off by default). */
class ChartAlertsTest {

    /** The fields the PrometheusRule CRD (monitoring.coreos.com/v1) allows on an alerting rule. */
    static final Set<String> RULE_FIELDS = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");

    @Test
    void offByDefault() {
        assertTrue(HelmChart.render(Map.of()).all(GenericKubernetesResource.class).isEmpty());
    }

    @Test
    void rendersTheThreeHeadroomAlerts(@TempDir Path dir) throws Exception {
        Path values = dir.resolve("alerts.yaml");
        Files.writeString(values, """
                metrics:
                  prometheusRule:
                    enabled: true
                    labels:
                      release: kube-prometheus-stack
                    selector: 'namespace="chat"'
                """);
        GenericKubernetesResource rule = onlyRule(HelmChart.render(values, Map.of()));
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals(Manifests.FULLNAME + "-log-headroom", rule.getMetadata().getName());
        assertEquals("kube-prometheus-stack", rule.getMetadata().getLabels().get("release"));
        assertEquals("chat-platform", rule.getMetadata().getLabels().get("app.kubernetes.io/part-of"));

        Map<String, Map<String, Object>> rules = rules(rule);
        assertEquals(List.of("ChatLogTrimmedUnconsumed", "ChatLogBacklogHigh", "HistoryIngestLagging"),
                List.copyOf(rules.keySet()));
        for (Map<String, Object> r : rules.values()) {
            assertTrue(RULE_FIELDS.containsAll(r.keySet()), "fields of a PrometheusRule rule: " + r.keySet());
            assertBalanced((String) r.get("expr"));
            assertTrue(((Map<?, ?>) r.get("annotations")).containsKey("summary"));
        }

        Map<String, Object> trimmed = rules.get("ChatLogTrimmedUnconsumed");
        assertEquals("sum(increase(chat_log_trimmed_unconsumed_total{namespace=\"chat\"}[5m])) > 0", trimmed.get("expr"));
        assertEquals("critical", severity(trimmed));
        assertTrue(!trimmed.containsKey("for"), "fires at once");

        Map<String, Object> backlog = rules.get("ChatLogBacklogHigh");
        assertEquals("max by (partition) (chat_log_backlog_entries{namespace=\"chat\"}) > 1000000", backlog.get("expr"));
        assertEquals("10m", backlog.get("for"));
        assertEquals("warning", severity(backlog));
        String summary = (String) ((Map<?, ?>) backlog.get("annotations")).get("summary");
        assertTrue(summary.contains("partition {{ $labels.partition }} "), "Prometheus templates survive helm: " + summary);

        Map<String, Object> lag = rules.get("HistoryIngestLagging");
        assertEquals("max by (partition) (history_ingest_lag_millis{namespace=\"chat\"}) > 120000", lag.get("expr"));
        assertEquals("10m", lag.get("for"));
        assertEquals("warning", severity(lag));
    }

    @Test
    void thresholdsComeFromTheValues() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("metrics.prometheusRule.enabled", "true");
        set.put("metrics.prometheusRule.backlogEntries", "50000");
        set.put("metrics.prometheusRule.backlogFor", "30m");
        set.put("metrics.prometheusRule.historyLagSeconds", "45");
        set.put("metrics.prometheusRule.historyLagFor", "5m");
        Map<String, Map<String, Object>> rules = rules(onlyRule(HelmChart.render(set)));
        assertEquals("max by (partition) (chat_log_backlog_entries{}) > 50000", rules.get("ChatLogBacklogHigh").get("expr"));
        assertEquals("30m", rules.get("ChatLogBacklogHigh").get("for"));
        assertEquals("max by (partition) (history_ingest_lag_millis{}) > 45000", rules.get("HistoryIngestLagging").get("expr"));
        assertEquals("5m", rules.get("HistoryIngestLagging").get("for"));
    }

    /** The history metric the rule names is the one history-service registers (Micrometer name, dots). */
    @Test
    void historyLagMetricIsTheOneHistoryExports() throws Exception {
        String source = Files.readString(HelmChart.REPO.resolve(
                "history-service/src/main/java/io/chatplatform/history/ingest/LagMonitor.java"));
        assertTrue(source.contains("\"history.ingest.lag.millis\""), "history_ingest_lag_millis is registered by LagMonitor");
    }

    private static GenericKubernetesResource onlyRule(Manifests manifests) {
        List<GenericKubernetesResource> rules = manifests.all(GenericKubernetesResource.class);
        assertEquals(1, rules.size(), "one PrometheusRule");
        assertEquals("PrometheusRule", rules.get(0).getKind());
        return rules.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> rules(GenericKubernetesResource rule) {
        Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) spec.get("groups");
        assertEquals(1, groups.size());
        assertEquals(Set.of("name", "rules"), groups.get(0).keySet());
        return ((List<Map<String, Object>>) groups.get(0).get("rules")).stream()
                .collect(Collectors.toMap(r -> (String) r.get("alert"), r -> r, (a, b) -> a, LinkedHashMap::new));
    }

    private static String severity(Map<String, Object> rule) {
        return (String) ((Map<?, ?>) rule.get("labels")).get("severity");
    }

    private static void assertBalanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth += c == '(' || c == '{' || c == '[' ? 1 : c == ')' || c == '}' || c == ']' ? -1 : 0;
            assertTrue(depth >= 0, "unbalanced: " + expr);
        }
        assertEquals(0, depth, "unbalanced: " + expr);
    }
}
