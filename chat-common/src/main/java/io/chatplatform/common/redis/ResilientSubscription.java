package io.chatplatform.common.redis;

import io.chatplatform.common.retry.Backoff;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A pub/sub subscription that comes back. When its connection ends (Redis restarted, failed over, the network dropped)
 * or subscribing fails, it subscribes again with {@link Backoff} (0.5 s doubling to 2 s, jittered: cheap against a
 * Redis that is down, and back soon after it is up). A connection can also go quiet with
 * neither signal, so the subscription also listens on {@code <channel>:probe}, where it publishes a token of its own
 * every probe interval: when the previous token has not come back, it subscribes again. Messages published while it was
 * away are lost, as always with pub/sub: callers keep a periodic safety net.
 */
public final class ResilientSubscription {

    private static final Logger LOG = Logger.getLogger(ResilientSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final String channel;
    private final String probeChannel;
    private final String probeToken = UUID.randomUUID().toString();
    private final Consumer<String> onMessage;
    private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
    /** Bumped by every subscribe: end signals of a replaced subscription are ignored. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<ReactivePubSubCommands.ReactiveRedisSubscriber> current = new AtomicReference<>();
    private volatile long probeSentAt;
    private volatile long probeSeenAt;

    private ResilientSubscription(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage) {
        this.redis = redis;
        this.channel = channel;
        this.probeChannel = channel + ":probe";
        this.onMessage = onMessage;
    }

    /** Subscribes {@code onMessage} to {@code channel} now, again whenever the subscription ends or goes quiet. */
    public static ResilientSubscription start(ReactiveRedisDataSource redis, String channel, Duration probeInterval,
            Consumer<String> onMessage) {
        ResilientSubscription subscription = new ResilientSubscription(redis, channel, onMessage);
        subscription.subscribe();
        Multi.createFrom().ticks().every(probeInterval).subscribe().with(tick -> subscription.probe(), failure -> { });
        return subscription;
    }

    private void subscribe() {
        long mine = generation.incrementAndGet();
        ReactivePubSubCommands.ReactiveRedisSubscriber previous = current.getAndSet(null);
        if (previous != null) {
            previous.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
        Runnable again = () -> {
            if (generation.compareAndSet(mine, mine + 1)) { // once per subscription, and only for the current one
                Duration wait = backoff.nextDelay();
                LOG.warnf("subscription to %s ended; subscribing again in %d ms", channel, wait.toMillis());
                Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(ok -> subscribe());
            }
        };
        redis.pubsub(String.class).subscribe(List.of(channel, probeChannel), this::dispatch, again, failure -> again.run())
                .subscribe().with(subscribed -> {
                    current.set(subscribed);
                    backoff.reset();
                    LOG.debugf("subscribed to %s", channel);
                }, failure -> again.run());
    }

    private void dispatch(String on, String message) {
        if (probeChannel.equals(on)) {
            if (probeToken.equals(message)) {
                probeSeenAt = System.nanoTime();
            }
            return;
        }
        onMessage.accept(message);
    }

    /** Publishes this subscription's token; subscribes again when the previous one did not come back. */
    private void probe() {
        if (probeSentAt != 0 && probeSeenAt < probeSentAt) {
            LOG.warnf("subscription to %s went quiet (its own probe did not come back); subscribing again", channel);
            subscribe();
        }
        probeSentAt = System.nanoTime();
        redis.pubsub(String.class).publish(probeChannel, probeToken).subscribe().with(ok -> { }, failure -> { });
    }
}
