package io.chatplatform.chat.delivery;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.presence.Presence;
import io.chatplatform.chat.presence.PresenceKeys;
import io.chatplatform.common.redis.RedisPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Delivers a frame to every device of some users wherever they are connected: directly to this instance's
 * connections, and with one {@code XADD chat:inbox:{instance}} per other instance that holds a recipient.
 * The cost grows with the recipients, not with the number of chat instances.
 */
@Singleton
public class Router {

    private final LocalDelivery local;
    private final Presence presence;
    private final RedisPipeline pipeline;
    private final long inboxMaxLength;

    public Router(LocalDelivery local, Presence presence, RedisPipeline pipeline, ChatConfig config) {
        this.local = local;
        this.presence = presence;
        this.pipeline = pipeline;
        this.inboxMaxLength = config.log().inboxMaxLength();
    }

    public Uni<Void> route(Delivery delivery) {
        local.deliver(delivery);
        return presence.remoteInstancesOf(delivery.uids()).flatMap(byInstance -> forward(delivery, byInstance));
    }

    /** As {@link #route}, with the recipients' instances already looked up ({@link Presence#remoteInstancesOf}). */
    public Uni<Void> route(Delivery delivery, Map<String, List<Long>> byInstance) {
        local.deliver(delivery);
        return forward(delivery, byInstance);
    }

    private Uni<Void> forward(Delivery delivery, Map<String, List<Long>> byInstance) {
        if (byInstance.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> appends = new ArrayList<>(byInstance.size());
        for (Map.Entry<String, List<Long>> target : byInstance.entrySet()) {
            appends.add(Request.cmd(Command.XADD).arg(PresenceKeys.inbox(target.getKey()))
                    .arg("MAXLEN").arg("~").arg(inboxMaxLength).arg("*")
                    .arg(InboxEntry.FRAME).arg(delivery.frame())
                    .arg(InboxEntry.USERS).arg(target.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .arg(InboxEntry.SENT_AT).arg(delivery.sentAtMillis()));
        }
        return pipeline.batch(appends).replaceWithVoid();
    }
}
