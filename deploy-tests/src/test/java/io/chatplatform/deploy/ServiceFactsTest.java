package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reading of the services' own configuration that the chart tests rely on. */
class ServiceFactsTest {

    @Test
    void readsPortsAndDurations() {
        assertEquals(8081, ServiceFacts.of("auth").port());
        assertEquals(8082, ServiceFacts.of("chat").port());
        assertEquals(8083, ServiceFacts.of("history").port());
        assertTrue(ServiceFacts.of("chat").duration("quarkus.shutdown.timeout", Duration.ZERO).toSeconds() > 0);
    }

    @Test
    void knowsTheVariablesOfPropertiesExpressionsAndConfigMappings() {
        ServiceFacts auth = ServiceFacts.of("auth");
        assertTrue(auth.reads("QUARKUS_DATASOURCE_JDBC_URL"), "a key of application.properties");
        assertTrue(auth.reads("AUTH_TRUSTED_PROXIES"), "a ${...} expression");
        assertTrue(auth.reads("AUTH_ADMIN_PASSWORD"), "a %dev key");
        assertTrue(auth.reads("AUTH_MAX_DEVICES"), "only in AuthConfig");
        assertTrue(auth.reads("AUTH_LOGIN_LIMIT_PER_USER"), "a nested AuthConfig group");
        assertFalse(auth.reads("AUTH_JWT_KEYDIR"));
        assertFalse(auth.reads("CHAT_LOG_PARTITIONS"));

        ServiceFacts chat = ServiceFacts.of("chat");
        assertTrue(chat.reads("CHAT_HEARTBEAT_TIMEOUT"));
        assertTrue(chat.reads("CHAT_LIMITS_MAX_FRAME_BYTES"));
        assertTrue(chat.reads("CHAT_ALLOWED_ORIGINS"));
        assertFalse(chat.reads("CHAT_PARTITIONS"));

        ServiceFacts history = ServiceFacts.of("history");
        assertTrue(history.reads("HISTORY_INGEST_CONSUMER_NAME"), "only in HistoryConfig");
        assertTrue(history.reads("HISTORY_RETENTION_MESSAGE_TTL"));
        assertFalse(history.reads("HISTORY_LOG_PARTITIONS"));
        assertFalse(history.reads("QUARKUS_DATASOURCE_JDBC_URL"));
        assertFalse(history.reads("QUARKUS_DATASOURCE_PASSWORD"));
    }
}
