package io.chatplatform.chat.session;

/** CDI event: a device connected and is registered (features such as the desk react to it). */
public record ConnectionOpened(ClientConnection connection) {
}
