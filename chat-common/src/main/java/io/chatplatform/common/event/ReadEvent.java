package io.chatplatform.common.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** User {@code uid} has read conversation {@code conv} up to and including {@code seq}. */
@RegisterForReflection
public record ReadEvent(int v, String type, String conv, long uid, long seq, long ts) implements StreamEvent {

    public static final String TYPE = "read";

    public static ReadEvent of(String conv, long uid, long seq, long ts) {
        return new ReadEvent(VERSION, TYPE, conv, uid, seq, ts);
    }
}
