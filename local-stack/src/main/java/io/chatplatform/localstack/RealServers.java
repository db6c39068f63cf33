package io.chatplatform.localstack;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables that point the services at real servers (e.g. a CI pass against the machine's own Redis and
 * MariaDB). When one is set, the matching embedded store is not started and the variable applies as it is.
 */
public final class RealServers {

    public static final String REDIS_HOSTS = "QUARKUS_REDIS_HOSTS";
    public static final String REDIS_CLIENT_TYPE = "QUARKUS_REDIS_CLIENT_TYPE";
    /** {@code cluster}: the tests' embedded Redis is a 3-primary Redis Cluster instead of one server. */
    public static final String TEST_REDIS = "CHAT_TEST_REDIS";
    public static final String JDBC_URL = "QUARKUS_DATASOURCE_JDBC_URL";
    public static final String JDBC_USERNAME = "QUARKUS_DATASOURCE_USERNAME";
    public static final String JDBC_PASSWORD = "QUARKUS_DATASOURCE_PASSWORD";
    public static final String MONGODB_CONNECTION_STRING = "QUARKUS_MONGODB_CONNECTION_STRING";

    private final Map<String, String> env;

    public RealServers(Map<String, String> env) {
        this.env = env;
    }

    /** Reads {@link System#getenv()}. */
    public static RealServers fromEnvironment() {
        return new RealServers(System.getenv());
    }

    /** The value of {@code name} if set and not blank. */
    public Optional<String> get(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public Optional<String> redis() {
        return get(REDIS_HOSTS);
    }

    /** True when {@code CHAT_TEST_REDIS=cluster}: embedded Redis means {@link EmbeddedRedisCluster}. */
    public boolean clusterRedis() {
        return get(TEST_REDIS).map(mode -> mode.strip().equalsIgnoreCase("cluster")).orElse(false);
    }

    public Optional<String> jdbcUrl() {
        return get(JDBC_URL);
    }

    public Optional<String> mongo() {
        return get(MONGODB_CONNECTION_STRING);
    }
}
