package io.chatplatform.localstack;

import java.nio.file.Path;

/** The options every embedded store takes: where its data lives and which port it listens on. */
public abstract class StoreBuilder<B extends StoreBuilder<B>> {

    protected Path dataDir;
    protected int port;

    /** Folder for the store's data (and pid file and log, for a process); null (default) = throwaway or in memory. */
    public B dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return self();
    }

    /** Port to listen on; 0 (default) = a free one. */
    public B port(int port) {
        this.port = port;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
