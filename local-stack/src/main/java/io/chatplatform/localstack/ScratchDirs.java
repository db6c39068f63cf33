package io.chatplatform.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Throwaway directories for stores started without a data directory (tests). They live under the build's
 * {@code target/local-stack-tmp/} folder (the working directory of a Maven test JVM is the module folder), never in
 * /tmp, unless the system property {@value #ROOT_PROPERTY} names another root. Directories left behind by a JVM
 * that no longer runs (killed test run) are removed, and any store process they recorded is stopped.
 */
public final class ScratchDirs {

    /** System property that overrides the root of the throwaway directories. */
    public static final String ROOT_PROPERTY = "localstack.scratch.dir";

    private static final Logger LOG = Logger.getLogger(ScratchDirs.class.getName());

    private ScratchDirs() {
    }

    /** The folder holding the throwaway directories. */
    public static Path root() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        Path workDir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        Path target = workDir.resolve("target");
        if (Files.isDirectory(target) || Files.isRegularFile(workDir.resolve("pom.xml"))) {
            return target.resolve("local-stack-tmp");
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "local-stack-tmp-" + System.getProperty("user.name"));
    }

    /** Creates a new empty directory {@code <root>/<prefix>-<jvm pid>-<random>}. */
    public static Path create(String prefix) {
        Path root = root();
        try {
            Files.createDirectories(root);
            reapStale(root);
            String name = prefix + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
            return Files.createDirectory(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a scratch directory under " + root, e);
        }
    }

    /** Deletes a directory tree, logging (not throwing) on failure. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warning("Cannot delete " + dir + ": " + e);
        }
    }

    private static void reapStale(Path root) throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(Files::isDirectory).collect(Collectors.toList());
        }
        for (Path dir : dirs) {
            Long owner = ownerPid(dir.getFileName().toString());
            if (owner == null || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 2)) {
                for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid"))
                        .collect(Collectors.toList())) {
                    Processes.stopLeftover(pidFile, pidFile.getFileName().toString().startsWith("redis")
                            ? "redis-server" : "mariadbd");
                }
            }
            deleteQuietly(dir);
        }
    }

    private static Long ownerPid(String dirName) {
        String[] parts = dirName.split("-");
        if (parts.length < 3) {
            return null;
        }
        try {
            return Long.parseLong(parts[parts.length - 2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
