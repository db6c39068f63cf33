package io.chatplatform.chat.lifecycle;

import io.chatplatform.common.event.Media;

/**
 * What chat remembers of a sent message ({@link MessageMetas}) to check edits, recalls, reactions, replies and forwards.
 *
 * @param body        the current text (after edits); null once recalled
 * @param recalledBy  who recalled it, or null
 * @param recalledSeq the seq of that recall (0 when not recalled)
 */
public record MessageMeta(String msgId, String conv, long seq, long from, String senderType, String kind, long ts, String body,
        Media media, Long recalledBy, long recalledSeq) {

    public boolean recalled() {
        return recalledBy != null;
    }
}
