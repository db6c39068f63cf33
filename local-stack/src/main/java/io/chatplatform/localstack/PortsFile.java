package io.chatplatform.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The ports the local stack chose last time ({@code <stack>/ports.properties}: {@code redis=}, {@code mariadb=},
 * {@code mongo=}), so that a restart reuses them while they are free and dev-mode configuration stays stable.
 */
final class PortsFile {

    private final Path file;
    private final Properties ports = new Properties();

    PortsFile(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                ports.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                ports.clear(); // unreadable: choose new ports
            }
        }
    }

    /** The remembered port of {@code store} if it is still free, else 0 (= let the store choose a free one). */
    int reusablePort(String store) {
        try {
            int port = Integer.parseInt(ports.getProperty(store, "0").trim());
            return port > 0 && Ports.isFree(port) ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void remember(String store, int port) {
        ports.setProperty(store, Integer.toString(port));
    }

    void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                ports.store(writer, "Ports chosen by LocalStack; reused on the next start while they are free");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
