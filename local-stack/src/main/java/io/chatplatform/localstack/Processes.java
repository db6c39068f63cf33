package io.chatplatform.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Stops OS processes: gracefully first, forcibly after a timeout; also cleans up leftovers named in pid files. */
final class Processes {

    private static final Logger LOG = Logger.getLogger(Processes.class.getName());

    private Processes() {
    }

    /** Sends SIGTERM, waits up to {@code grace}, then SIGKILL and waits again. True if the process is gone. */
    static boolean terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (waitForExit(process, grace)) {
            return true;
        }
        LOG.warning("Process " + process.pid() + " did not stop within " + grace.toSeconds() + "s, killing it");
        process.destroyForcibly();
        return waitForExit(process, Duration.ofSeconds(10));
    }

    static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        }
    }

    /** The pid written in {@code pidFile}, if the file exists and holds a number. */
    static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * If {@code pidFile} names a live process whose command contains {@code executableName} (a store left behind by a
     * killed JVM), stops it. Then deletes the pid file.
     */
    static void stopLeftover(Path pidFile, String executableName) {
        readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(process -> {
            String command = process.info().command().orElse("");
            if (command.contains(executableName)) {
                LOG.warning("Stopping leftover " + executableName + " (pid " + process.pid() + ") from " + pidFile);
                terminate(process, Duration.ofSeconds(20));
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.fine("Cannot delete " + pidFile + ": " + e);
        }
    }
}
