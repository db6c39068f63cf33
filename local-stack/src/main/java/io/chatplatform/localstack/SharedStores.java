package io.chatplatform.localstack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The embedded stores of one test JVM: each started at most once, on first request, and stopped by a JVM shutdown hook.
 * A store whose real server is given by environment ({@link RealServers}) is never started: its variable applies.
 *
 * <p>Only JDK types cross this API, because {@link StoresTestResource} calls it on the copy of this class loaded by the
 * system class loader (one per JVM), whichever class loader (Quarkus re-creates one per application start) asks.
 */
public final class SharedStores {

    public static final String REDIS = "redis";
    public static final String MYSQL = "mysql";
    public static final String MONGO = "mongo";
    public static final String DEFAULT_DATABASE = "chat_test";

    private static final Logger LOG = Logger.getLogger(SharedStores.class.getName());

    private static RealServers realServers = RealServers.fromEnvironment();
    private static EmbeddedRedis redis;
    /** Port of the standalone embedded Redis once started: a restart keeps it. */
    private static int redisPort;
    private static boolean redisStopped;
    private static EmbeddedRedisCluster redisCluster;
    private static boolean clusterStopped;
    private static EmbeddedMariaDb mariaDb;
    private static EmbeddedMongo mongo;
    private static boolean shutdownHookAdded;

    private SharedStores() {
    }

    /**
     * Starts (once) the requested stores that no environment variable replaces, creates {@code database} if MariaDB is
     * requested, and returns the Quarkus configuration for the stores started here.
     *
     * @param stores comma-separated subset of {@code redis,mysql,mongo}
     * @param database database name for {@code quarkus.datasource.jdbc.url}
     */
    public static synchronized Map<String, String> config(String stores, String database) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String store : parse(stores)) {
            switch (store) {
                case REDIS:
                    if (realServers.redis().isEmpty()) {
                        config.put("quarkus.redis.hosts", redisUri());
                        if (realServers.clusterRedis()) {
                            config.put("quarkus.redis.client-type", "cluster");
                        }
                    }
                    break;
                case MYSQL:
                    if (realServers.jdbcUrl().isEmpty()) {
                        config.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
                        config.put("quarkus.datasource.username", "root");
                    }
                    break;
                default:
                    if (realServers.mongo().isEmpty()) {
                        config.put("quarkus.mongodb.connection-string", mongoConnectionString());
                    }
            }
        }
        return config;
    }

    /**
     * {@code $QUARKUS_REDIS_HOSTS}, else the embedded Redis (started on first call): {@code redis://127.0.0.1:<port>},
     * or with {@code CHAT_TEST_REDIS=cluster} the three primaries of the embedded Redis Cluster, comma-separated (the
     * value for {@code quarkus.redis.hosts}).
     */
    public static synchronized String redisUri() {
        if (realServers.redis().isPresent()) {
            return realServers.redis().get();
        }
        ensureRedis();
        return realServers.clusterRedis() ? redisCluster.hosts() : "redis://" + Ports.HOST + ":" + redisPort;
    }

    /** {@code cluster} or {@code standalone}: the embedded store's, or {@code $QUARKUS_REDIS_CLIENT_TYPE} for a real one. */
    public static synchronized String redisClientType() {
        if (realServers.redis().isPresent()) {
            return realServers.get(RealServers.REDIS_CLIENT_TYPE).map(t -> t.strip().toLowerCase(Locale.ROOT))
                    .orElse("standalone");
        }
        return realServers.clusterRedis() ? "cluster" : "standalone";
    }

    /** {@code host:port} of every Redis node the tests use (one, or the cluster's primaries / listed hosts). */
    public static synchronized List<String> redisNodes() {
        if (realServers.redis().isPresent()) {
            return RedisCommand.nodesOf(realServers.redis().get());
        }
        ensureRedis();
        return realServers.clusterRedis() ? redisCluster.nodes() : List.of(Ports.HOST + ":" + redisPort);
    }

    /** FLUSHALL on every node (every primary of a cluster): Redis loses all its data, as after a restart. */
    public static synchronized void flushRedis() {
        List<String> nodes = redisNodes();
        String password = redisPassword();
        if ("cluster".equals(redisClientType()) && realServers.redis().isPresent()) {
            nodes = RedisCommand.primaries(nodes.get(0), password);
        }
        for (String node : nodes) {
            RedisCommand.call(node, password, "FLUSHALL");
        }
        LOG.info("FLUSHALL on " + nodes);
    }

    /** Stops the embedded Redis (every cluster node); false, doing nothing, for a real server the tests don't own. */
    public static synchronized boolean stopRedis() {
        if (realServers.redis().isPresent()) {
            return false;
        }
        ensureRedis();
        if (realServers.clusterRedis()) {
            redisCluster.stop();
            clusterStopped = true;
        } else {
            redis.stop();
            redisStopped = true;
        }
        LOG.info("Embedded Redis stopped (" + redisClientType() + ")");
        return true;
    }

    /**
     * Starts the embedded Redis again on the same port(s), with empty data; cluster nodes keep their nodes.conf and
     * rejoin with their slots (returns once the cluster is ok). False, doing nothing, for a real server.
     */
    public static synchronized boolean startRedis() {
        if (realServers.redis().isPresent()) {
            return false;
        }
        if (realServers.clusterRedis()) {
            if (redisCluster != null && clusterStopped) {
                redisCluster.restart();
            }
            clusterStopped = false;
        } else {
            if (redis != null && redisStopped) {
                redis = EmbeddedRedis.builder().port(redisPort).start();
            }
            redisStopped = false;
        }
        ensureRedis();
        LOG.info("Embedded Redis started again on " + redisNodes() + " (data empty)");
        return true;
    }

    /** {@link #stopRedis()} then {@link #startRedis()}; false, doing nothing, for a real server. */
    public static synchronized boolean restartRedis() {
        return stopRedis() && startRedis();
    }

    /**
     * Runs one command on the tests' Redis (following MOVED/ASK redirects on a cluster); the reply as String, Long,
     * List or null. An error reply throws {@link IllegalStateException}.
     */
    public static Object redisCommand(String... args) {
        String node;
        String password;
        synchronized (SharedStores.class) {
            node = redisNodes().get(0);
            password = redisPassword();
        }
        return RedisCommand.call(node, password, args);
    }

    private static String redisPassword() {
        return realServers.redis().map(RedisCommand::passwordOf).orElse(null);
    }

    /** Starts the embedded Redis of the current mode unless it runs or a test stopped it. */
    private static void ensureRedis() {
        if (realServers.clusterRedis()) {
            if (redisCluster == null) {
                addShutdownHook();
                redisCluster = EmbeddedRedisCluster.start();
                clusterStopped = false;
            }
        } else if (!redisStopped && (redis == null || !redis.isRunning())) {
            addShutdownHook();
            redis = EmbeddedRedis.builder().port(redisPort).start();
            redisPort = redis.port();
        }
    }

    /**
     * {@code $QUARKUS_DATASOURCE_JDBC_URL} as it is, else the embedded MariaDB URL of {@code database} (server started
     * and database created on first call).
     */
    public static synchronized String jdbcUrl(String database) {
        if (realServers.jdbcUrl().isPresent()) {
            return realServers.jdbcUrl().get();
        }
        String name = database == null || database.isBlank() ? DEFAULT_DATABASE : database;
        if (mariaDb == null || !mariaDb.isRunning()) {
            addShutdownHook();
            mariaDb = EmbeddedMariaDb.builder().start();
        }
        mariaDb.createDatabase(name);
        return mariaDb.jdbcUrl(name);
    }

    /** {@code $QUARKUS_DATASOURCE_USERNAME}, else {@code root}. */
    public static String jdbcUsername() {
        return realServers.jdbcUrl().isPresent()
                ? realServers.get(RealServers.JDBC_USERNAME).orElse("root") : "root";
    }

    /** {@code $QUARKUS_DATASOURCE_PASSWORD}, else the empty string. */
    public static String jdbcPassword() {
        return realServers.jdbcUrl().isPresent() ? realServers.get(RealServers.JDBC_PASSWORD).orElse("") : "";
    }

    /** {@code $QUARKUS_MONGODB_CONNECTION_STRING}, else the embedded (in-memory) MongoDB stand-in's. */
    public static synchronized String mongoConnectionString() {
        if (realServers.mongo().isPresent()) {
            return realServers.mongo().get();
        }
        if (mongo == null || !mongo.isRunning()) {
            addShutdownHook();
            mongo = EmbeddedMongo.builder().start();
        }
        return mongo.connectionString();
    }

    /** Stops every store started here (also done by the shutdown hook). */
    public static synchronized void stopAll() {
        if (mongo != null) {
            mongo.stop();
            mongo = null;
        }
        if (mariaDb != null) {
            mariaDb.stop();
            mariaDb = null;
        }
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        redisPort = 0;
        redisStopped = false;
        if (redisCluster != null) {
            redisCluster.close();
            redisCluster = null;
        }
        clusterStopped = false;
    }

    static Set<String> parse(String stores) {
        Set<String> parsed = new TreeSet<>();
        String list = stores == null || stores.isBlank() ? REDIS + "," + MYSQL + "," + MONGO : stores;
        for (String part : list.split(",")) {
            String store = part.trim().toLowerCase(Locale.ROOT);
            if (store.isEmpty()) {
                continue;
            }
            if (store.equals("mariadb")) {
                store = MYSQL;
            }
            if (!Set.of(REDIS, MYSQL, MONGO).contains(store)) {
                throw new IllegalArgumentException("Unknown store '" + part.trim() + "' (expected redis, mysql, mongo)");
            }
            parsed.add(store);
        }
        return parsed;
    }

    private static void addShutdownHook() {
        if (!shutdownHookAdded) {
            Runtime.getRuntime().addShutdownHook(new Thread(SharedStores::stopAll, "local-stack-test-stores"));
            shutdownHookAdded = true;
            LOG.fine("Embedded test stores will stop when this JVM exits");
        }
    }

    /** For the module's own tests only. */
    static synchronized void useEnvironment(Map<String, String> env) {
        realServers = new RealServers(env);
    }
}
