package io.chatplatform.history.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatplatform.history.message.HistoryItem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An update item of a page: the fields of chat's {@code update} frame, {@code type: "update"}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateView(String type, String conv, Long seq, String msgId, String op, long by, String byDevice, long ts,
        String body, String emoji) implements HistoryItem {

    public static final String TYPE = "update";

    @Override
    public long position() {
        return seq == null ? 0 : seq;
    }
}
