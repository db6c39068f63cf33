package io.chatplatform.history.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.history.http.Roles;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.set.SetCommands;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may read a conversation: direct — its two users (the id names them); group — current members
 * ({@code SISMEMBER group:{gid}:members}, mirrored by auth-service); desk ticket — its members in
 * {@code conversations.members} (the customer and every agent who served) and any desk staff (AGENT, ADMIN).
 * Callers answer everyone else exactly like a conversation that does not exist (404).
 */
@ApplicationScoped
public class ConversationAccess {

    private final HistoryCollections store;
    private final SetCommands<String, String> sets;

    public ConversationAccess(HistoryCollections store, RedisDataSource redis) {
        this.store = store;
        this.sets = redis.set(String.class);
    }

    public boolean canRead(AuthenticatedDevice me, ConversationId conv) {
        return switch (conv.kind()) {
            case DIRECT -> conv.directMembers().contains(me.uid());
            case GROUP -> sets.sismember(GroupKeys.members(conv.number()), String.valueOf(me.uid()));
            case DESK -> Roles.isDeskStaff(me) || isStoredMember(conv.value(), me.uid());
        };
    }

    private boolean isStoredMember(String conv, long uid) {
        return store.conversations()
                .find(Filters.and(Filters.eq(ConversationDocument.ID, conv), Filters.eq(ConversationDocument.MEMBERS, uid)))
                .projection(Projections.include(ConversationDocument.ID)).first() != null;
    }
}
