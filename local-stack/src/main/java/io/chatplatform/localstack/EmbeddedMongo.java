package io.chatplatform.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A MongoDB stand-in (mongo-java-server, in this JVM) speaking the wire protocol on 127.0.0.1 and a free port.
 * With a data directory it keeps the data in an H2 MVStore file ({@code <dir>/mongo.mv}); without one, in memory.
 *
 * <pre>{@code
 * try (EmbeddedMongo mongo = EmbeddedMongo.builder().start()) {   // in memory
 *     String uri = mongo.connectionString();                      // mongodb://127.0.0.1:<port>
 * }
 * EmbeddedMongo.builder().dataDir(dir).port(preferred).start();   // persistent
 * }</pre>
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedMongo.class.getName());
    static final String DATA_FILE = "mongo.mv";

    private final MongoServer server;
    private final MongoBackend backend;
    private final int port;
    private volatile boolean running = true;

    private EmbeddedMongo(MongoServer server, MongoBackend backend, int port) {
        this.server = server;
        this.backend = backend;
        this.port = port;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** {@code mongodb://127.0.0.1:<port>}, the value for {@code quarkus.mongodb.connection-string}. */
    public String connectionString() {
        return "mongodb://" + Ports.HOST + ":" + port;
    }

    public boolean isRunning() {
        return running;
    }

    /** Closes client connections, stops listening and closes (for H2: flushes) the backend. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        server.shutdownNow();
        backend.close();
        LOG.info("MongoDB stand-in on port " + port + " stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** Options for {@link EmbeddedMongo}: a data directory (H2 file; default in memory) and a port. */
    public static final class Builder extends StoreBuilder<Builder> {

        private Builder() {
        }

        public EmbeddedMongo start() {
            return Ports.startOnAPort("MongoDB stand-in", port, LOG, chosen -> {
                MongoBackend backend = newBackend();
                // Report 5.0 (wire version 13): current drivers refuse servers older than 4.0 (the default is 3.6).
                backend.version(ServerVersion.MONGO_5_0);
                MongoServer server = new MongoServer(backend);
                try {
                    server.bind(Ports.HOST, chosen);
                } catch (RuntimeException e) {
                    server.shutdownNow(); // also closes the backend
                    throw e;
                }
                LOG.info("MongoDB stand-in started on " + Ports.HOST + ":" + chosen + " ("
                        + (dataDir == null ? "in memory" : "data in " + dataDir.resolve(DATA_FILE)) + ")");
                return new EmbeddedMongo(server, backend, chosen);
            });
        }

        private MongoBackend newBackend() {
            if (dataDir == null) {
                return new MemoryBackend();
            }
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create " + dataDir, e);
            }
            return new H2Backend(dataDir.toAbsolutePath().resolve(DATA_FILE).toString());
        }
    }
}
