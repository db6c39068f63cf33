package io.chatplatform.history.store;

import com.mongodb.MongoClientSettings;
import io.chatplatform.history.config.HistoryConfig;
import io.quarkus.mongodb.runtime.MongoClientCustomizer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the wait for a pooled MongoDB connection ({@code history.store.pool-wait-timeout}): with the pool exhausted
 * the driver throws its {@code MongoTimeoutException} ("... while waiting for a connection ...") after that long, which
 * chat-common's Saturation answers with 503 + Retry-After, instead of queueing every request for the driver's default
 * of two minutes.
 */
@Singleton
public class MongoPoolWait implements MongoClientCustomizer {

    private final HistoryConfig config;

    public MongoPoolWait(HistoryConfig config) {
        this.config = config;
    }

    @Override
    public MongoClientSettings.Builder customize(MongoClientSettings.Builder builder) {
        long millis = config.store().poolWaitTimeout().toMillis();
        return builder.applyToConnectionPoolSettings(pool -> pool.maxWaitTime(millis, TimeUnit.MILLISECONDS));
    }
}
