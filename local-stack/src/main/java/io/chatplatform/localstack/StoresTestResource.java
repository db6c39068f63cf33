package io.chatplatform.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Quarkus test resource that provides embedded Redis / MariaDB / MongoDB to a service's tests, without Docker:
 *
 * <pre>{@code
 * @QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
 *         initArgs = @ResourceArg(name = "stores", value = "redis,mysql"))
 * }</pre>
 *
 * <p>Init args: {@code stores} = any subset of {@code redis,mysql,mongo} (default: all three); {@code database} = the
 * MariaDB database to create and point {@code quarkus.datasource.jdbc.url} at (default {@code chat_test}).
 *
 * <p>{@link #start()} returns, for each requested store that was started:
 * <ul>
 *   <li>redis: {@code quarkus.redis.hosts=redis://127.0.0.1:<port>}; with the environment variable
 *       {@code CHAT_TEST_REDIS=cluster} a real 3-primary Redis Cluster ({@link EmbeddedRedisCluster}) instead:
 *       {@code quarkus.redis.hosts=redis://127.0.0.1:p1,redis://127.0.0.1:p2,redis://127.0.0.1:p3} and
 *       {@code quarkus.redis.client-type=cluster}</li>
 *   <li>mysql: {@code quarkus.datasource.jdbc.url=jdbc:mysql://127.0.0.1:<port>/<database>} and
 *       {@code quarkus.datasource.username=root} (no password)</li>
 *   <li>mongo: {@code quarkus.mongodb.connection-string=mongodb://127.0.0.1:<port>} (in-memory backend)</li>
 * </ul>
 * A store whose real server is given by environment ({@code QUARKUS_REDIS_HOSTS}, {@code QUARKUS_DATASOURCE_JDBC_URL},
 * {@code QUARKUS_MONGODB_CONNECTION_STRING}) is not started and nothing is returned for it: the variable applies.
 *
 * <p>The stores are JVM-wide singletons: started once per test JVM, however many Quarkus applications start, and
 * stopped when the JVM exits ({@link #stop()} does nothing). The static accessors ({@link #redisUri()},
 * {@link #jdbcUrl()}, ...) return the same stores (or the environment's servers) for tests' own connections.
 *
 * <p>Redis faults for tests, injected for real: {@link #flushRedis()} (FLUSHALL on every node, also on a real server),
 * {@link #stopRedis()} / {@link #startRedis()} / {@link #restartRedis()} (embedded only: the processes end and start
 * again on the same ports with empty data; false and nothing done for a real server the tests don't own), and
 * {@link #redisCommand(String...)} to read or write keys on either kind of Redis.
 */
public class StoresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String STORES_ARG = "stores";
    public static final String DATABASE_ARG = "database";

    private static volatile String lastDatabase = SharedStores.DEFAULT_DATABASE;

    private String stores;
    private String database = SharedStores.DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        stores = initArgs.get(STORES_ARG);
        SharedStores.parse(stores); // fail fast on a typo
        String db = initArgs.get(DATABASE_ARG);
        if (db != null && !db.isBlank()) {
            database = db.trim();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> start() {
        lastDatabase = database;
        return Map.copyOf((Map<String, String>) call("config", stores, database));
    }

    @Override
    public void stop() {
        // JVM-wide stores: stopped by a shutdown hook when the test JVM exits.
    }

    /** Redis URI ({@code redis://127.0.0.1:<port>}) of the shared embedded Redis, or {@code $QUARKUS_REDIS_HOSTS}. */
    public static String redisUri() {
        return (String) call("redisUri");
    }

    /** {@code standalone} or {@code cluster} (the embedded store's, or {@code $QUARKUS_REDIS_CLIENT_TYPE}'s). */
    public static String redisClientType() {
        return (String) call("redisClientType");
    }

    /** {@code host:port} of every Redis node (one standalone server, or each cluster primary / listed host). */
    @SuppressWarnings("unchecked")
    public static List<String> redisNodes() {
        return List.copyOf((List<String>) call("redisNodes"));
    }

    /** FLUSHALL on every node: the embedded server, each primary of the embedded cluster, or the real server. */
    public static void flushRedis() {
        call("flushRedis");
    }

    /** Stops the embedded Redis (every node of the cluster); false, doing nothing, for a real server. */
    public static boolean stopRedis() {
        return (Boolean) call("stopRedis");
    }

    /**
     * Starts the stopped embedded Redis again on the same port(s), with empty data; a cluster's nodes keep their
     * nodes.conf and rejoin with their slots (returns once {@code cluster_state:ok}). False for a real server.
     */
    public static boolean startRedis() {
        return (Boolean) call("startRedis");
    }

    /** {@link #stopRedis()} + {@link #startRedis()}: Redis comes back empty. False, doing nothing, for a real server. */
    public static boolean restartRedis() {
        return (Boolean) call("restartRedis");
    }

    /**
     * One command on the tests' Redis, e.g. {@code redisCommand("SMEMBERS", "group:{7}:members")}; follows
     * {@code MOVED} redirects on a cluster. The reply as String, Long, List (of these) or null; an error reply throws
     * {@link IllegalStateException}.
     */
    public static Object redisCommand(String... args) {
        return invoke("redisCommand", new Class<?>[] {String[].class}, new Object[] {args});
    }

    /** JDBC URL of the database the test resource configured (default {@code chat_test}), or the environment's. */
    public static String jdbcUrl() {
        return jdbcUrl(lastDatabase);
    }

    /** JDBC URL of {@code database} on the shared embedded MariaDB (created if missing), or the environment's. */
    public static String jdbcUrl(String database) {
        return (String) call("jdbcUrl", database);
    }

    /** {@code root}, or {@code $QUARKUS_DATASOURCE_USERNAME} when a real server is used. */
    public static String jdbcUsername() {
        return (String) call("jdbcUsername");
    }

    /** Empty, or {@code $QUARKUS_DATASOURCE_PASSWORD} when a real server is used. */
    public static String jdbcPassword() {
        return (String) call("jdbcPassword");
    }

    /** MongoDB connection string of the shared in-memory stand-in, or {@code $QUARKUS_MONGODB_CONNECTION_STRING}. */
    public static String mongoConnectionString() {
        return (String) call("mongoConnectionString");
    }

    /** Calls {@link SharedStores} as loaded by the system class loader, so there is one set of stores per JVM. */
    private static Object call(String method, String... args) {
        Class<?>[] types = new Class<?>[args.length];
        Arrays.fill(types, String.class);
        return invoke(method, types, args);
    }

    private static Object invoke(String method, Class<?>[] types, Object[] args) {
        Class<?> shared = sharedStoresClass();
        try {
            Method target = shared.getMethod(method, types);
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call SharedStores." + method, e);
        }
    }

    private static Class<?> sharedStoresClass() {
        try {
            return Class.forName(SharedStores.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return SharedStores.class; // not on the system class path (e.g. an IDE runner): use this copy
        }
    }
}
