package io.chatplatform.chat.typing;

import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/** {@code typing {conv}}: relayed to the other members that are online, never stored, no reply. */
@Singleton
public class TypingHandler implements FrameHandler {

    private final Membership membership;
    private final Router router;

    public TypingHandler(Membership membership, Router router) {
        this.membership = membership;
        this.router = router;
    }

    @Override
    public Set<String> types() {
        return Set.of("typing");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        ConversationId conv = ConversationId.parse(frame.requiredString("conv", 48))
                .orElseThrow(() -> FrameException.invalid("'conv' is not a conversation id"));
        long uid = connection.uid();
        return membership.membersFor(uid, conv).flatMap(members -> router.route(new Delivery(
                ServerFrames.json(ServerFrames.Typing.of(conv.value(), uid, connection.deviceId())),
                members.stream().filter(member -> member != uid).toList(), connection.id(), 0)));
    }
}
