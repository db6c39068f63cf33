package io.chatplatform.common.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A pub/sub subscription that comes back: when its connection ends (Redis restarted, failed over, or the network
 * dropped) or subscribing fails, it subscribes again with backoff (0.5 s doubling to 10 s), for as long as the process
 * runs. Messages published while it was away are lost, as always with pub/sub: callers keep a periodic safety net.
 */
public final class ResilientSubscription {

    private static final Logger LOG = Logger.getLogger(ResilientSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final ReactiveRedisDataSource redis;
    private final String channel;
    private final Consumer<String> onMessage;
    private final AtomicReference<Duration> delay = new AtomicReference<>(FIRST_RETRY);

    private ResilientSubscription(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage) {
        this.redis = redis;
        this.channel = channel;
        this.onMessage = onMessage;
    }

    /** Subscribes {@code onMessage} to {@code channel} now, and again whenever the subscription ends. */
    public static ResilientSubscription start(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage) {
        ResilientSubscription subscription = new ResilientSubscription(redis, channel, onMessage);
        subscription.subscribe();
        return subscription;
    }

    private void subscribe() {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable again = () -> {
            if (ended.compareAndSet(false, true)) {
                Duration wait = delay.getAndUpdate(ResilientSubscription::longer);
                LOG.warnf("subscription to %s ended; subscribing again in %d ms", channel, wait.toMillis());
                Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(ok -> subscribe());
            }
        };
        redis.pubsub(String.class).subscribe(channel, onMessage, again, failure -> again.run())
                .subscribe().with(subscribed -> {
                    delay.set(FIRST_RETRY);
                    LOG.debugf("subscribed to %s", channel);
                }, failure -> again.run());
    }

    private static Duration longer(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
    }
}
