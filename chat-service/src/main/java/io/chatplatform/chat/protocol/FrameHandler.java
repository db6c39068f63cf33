package io.chatplatform.chat.protocol;

import io.chatplatform.chat.session.ClientConnection;
import io.smallrye.mutiny.Uni;

/** Serves one client frame type; replies through the connection. Fail with {@link FrameException} to answer an error. */
public interface FrameHandler {

    /** The frame {@code type} this handler serves. */
    String type();

    Uni<Void> handle(ClientConnection connection, ClientFrame frame);
}
