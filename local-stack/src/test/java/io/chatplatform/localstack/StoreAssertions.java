package io.chatplatform.localstack;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;

/** Shared checks and folders for the store tests. */
final class StoreAssertions {

    private StoreAssertions() {
    }

    /** A new folder path under target/ (never /tmp), not yet created. */
    static Path newTestDir(String name) {
        return Paths.get("target", "test-stores", name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }

    static void assertStopped(int port, long pid) {
        assertFalse(Ports.isListening(port), "port " + port + " must be free after stop");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "process " + pid + " must not survive stop");
    }

    static void assertNotWellKnown(int port, int wellKnown) {
        assertFalse(port == wellKnown, "must not use the well-known port " + wellKnown);
    }
}
