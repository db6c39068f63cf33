package io.chatplatform.chat.delivery;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The entries of an XREAD reply on one stream (RESP2 {@code [[key, entries]]} or RESP3 {@code {key: entries}}). */
    static List<Read> parse(Response reply) {
        List<Read> entries = new ArrayList<>();
        if (reply == null) {
            return entries;
        }
        for (Response perStream : reply) { // RESP2 [key, entries]; a RESP3 map's entries iterate as [key, entries]
            for (Response entry : perStream.get(1)) {
                Map<String, String> fields = new LinkedHashMap<>();
                Response payload = entry.get(1);
                for (int i = 0; payload != null && i + 1 < payload.size(); i += 2) {
                    fields.put(payload.get(i).toString(), payload.get(i + 1).toString());
                }
                entries.add(new Read(entry.get(0).toString(), fields));
            }
        }
        return entries;
    }

    /** One inbox entry as read. */
    record Read(String id, Map<String, String> fields) {
    }
}
