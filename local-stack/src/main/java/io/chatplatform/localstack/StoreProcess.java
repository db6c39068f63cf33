package io.chatplatform.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * An embedded store that runs as a child process on 127.0.0.1: its port, its folder (pid file, log, data) and how it
 * stops (SIGTERM, SIGKILL after {@code stopTimeout}; a throwaway folder is deleted).
 */
public abstract class StoreProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path dir;
    private final boolean throwaway;
    private final Duration stopTimeout;

    protected StoreProcess(String name, Process process, int port, Path dir, boolean throwaway, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.throwaway = throwaway;
        this.stopTimeout = stopTimeout;
    }

    public int port() {
        return port;
    }

    /** The store's folder: its data, pid file and log. */
    public Path dir() {
        return dir;
    }

    /** Pid of the server process. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM: a clean shutdown; SIGKILL after the stop timeout); deletes a throwaway folder. */
    public synchronized void stop() {
        if (process.isAlive()) {
            Processes.terminate(process.toHandle(), stopTimeout);
            Logger.getLogger(getClass().getName()).info(name + " on port " + port + " stopped");
        }
        if (throwaway) {
            ScratchDirs.deleteQuietly(dir);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
