package io.chatplatform.history.push;

import io.chatplatform.common.retry.Backoff;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.history.ingest.LogStreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.All;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends one notification to one device through its provider: retries with exponential backoff on 5xx, 429 and I/O
 * errors (a provider's Retry-After wins, capped at {@code push.max-retry-after}); an unregistered token is removed from
 * the device session; after {@code push.max-attempts}, or on a definite refusal, the notification goes to the dead-letter
 * stream. Metrics: {@code push.sent}, {@code push.failed} (tag reason), {@code push.unregistered}, {@code push.latency}
 * (message time → provider accepted), all tagged with the provider.
 */
@ApplicationScoped
public class PushDispatcher {

    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);

    private final PushConfig config;
    private final PushTargets targets;
    private final Map<String, PushProvider> providers = new HashMap<>();
    private final MeterRegistry registry;
    private final LogStreams streams;
    private final ObjectMapper json;

    public PushDispatcher(PushConfig config, PushTargets targets, @All List<PushProvider> all, MeterRegistry registry,
            RedisDataSource redis, ObjectMapper json) {
        this.config = config;
        this.targets = targets;
        this.registry = registry;
        this.streams = new LogStreams(redis);
        this.json = json;
        for (PushProvider p : all) {
            providers.put(p.name(), p);
        }
    }

    public boolean canSend(String provider) {
        PushProvider p = providers.get(provider);
        return p != null && p.ready();
    }

    public enum Outcome {
        SENT, UNREGISTERED, DEAD_LETTERED
    }

    public Outcome send(Notification n, PushTargets.Target target) {
        PushProvider provider = providers.get(target.provider());
        Backoff backoff = new Backoff(config.retryBackoffInitial(), config.retryBackoffMax());
        String reason = "unknown";
        for (int attempt = 1; attempt <= Math.max(1, config.maxAttempts()); attempt++) {
            PushResult result;
            try {
                result = provider.send(n, target.token());
            } catch (RuntimeException e) {
                result = new PushResult.Retry(e.getClass().getSimpleName(), null);
            }
            if (result instanceof PushResult.Delivered) {
                counter("push.sent", target.provider()).increment();
                Timer.builder("push.latency").description("message time to provider accepted").tag("provider", target.provider())
                        .publishPercentiles(0.5, 0.99).register(registry)
                        .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - n.ts())));
                return Outcome.SENT;
            }
            if (result instanceof PushResult.Unregistered) {
                targets.remove(n.to(), n.device(), target.token());
                counter("push.unregistered", target.provider()).increment();
                LOG.debugf("push: %s token of user %d device %s unregistered: removed", target.provider(), n.to(), n.device());
                return Outcome.UNREGISTERED;
            }
            if (result instanceof PushResult.Failed f) {
                deadLetter(n, target, f.reason(), attempt);
                return Outcome.DEAD_LETTERED;
            }
            PushResult.Retry r = (PushResult.Retry) result;
            reason = r.reason();
            if (attempt == config.maxAttempts()) {
                break;
            }
            long wait = r.retryAfter() != null ? Math.min(r.retryAfter().toMillis(), config.maxRetryAfter().toMillis())
                    : backoff.nextDelayMs();
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadLetter(n, target, "interrupted: " + reason, attempt);
                return Outcome.DEAD_LETTERED;
            }
        }
        deadLetter(n, target, reason, config.maxAttempts());
        return Outcome.DEAD_LETTERED;
    }

    private void deadLetter(Notification n, PushTargets.Target target, String reason, int attempts) {
        counter("push.failed", target.provider()).increment();
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("provider", target.provider());
        letter.put("to", n.to());
        letter.put("device", n.device());
        letter.put("conv", n.conv());
        letter.put("seq", n.seq());
        letter.put("msgId", n.msgId());
        letter.put("reason", reason);
        letter.put("attempts", attempts);
        letter.put("at", System.currentTimeMillis());
        LOG.warnf("push: %s notification for user %d device %s dead-lettered after %d attempt(s): %s", target.provider(),
                n.to(), n.device(), attempts, reason);
        try {
            streams.add(config.deadLetterStream(), config.deadLetterMaxLen(), Map.of("n", json.writeValueAsString(letter)));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("push: cannot write the dead letter: %s", e.toString());
        }
    }

    private Counter counter(String name, String provider) {
        return Counter.builder(name).tag("provider", provider).register(registry);
    }
}
