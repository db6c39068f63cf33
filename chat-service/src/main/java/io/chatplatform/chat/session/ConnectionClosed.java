package io.chatplatform.chat.session;

/**
 * CDI event: a device's connection closed and its presence entry is gone (when it was its last connection here).
 *
 * @param userStillHere whether the user keeps another connection on this instance
 */
public record ConnectionClosed(ClientConnection connection, boolean userStillHere) {
}
