package io.chatplatform.chat.delivery;

/** Fields of an entry of {@code chat:inbox:{instance}}. */
final class InboxEntry {

    /** The frame JSON, serialized once by the sending instance. */
    static final String FRAME = "f";
    /** Comma-separated user ids whose local connections get the frame. */
    static final String USERS = "u";
    /** Event creation time, epoch ms. */
    static final String SENT_AT = "t";

    private InboxEntry() {
    }
}
