package io.chatplatform.chat.protocol;

import io.chatplatform.chat.session.ClientConnection;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/** Serves one client frame type; replies through the connection. Fail with {@link FrameException} to answer an error. */
public interface FrameHandler {

    /** The frame {@code type}s this handler serves. */
    Set<String> types();

    Uni<Void> handle(ClientConnection connection, ClientFrame frame);
}
