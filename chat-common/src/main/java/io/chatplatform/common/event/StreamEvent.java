package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One entry of the durable log {@code chat:log:{p}}, stored as JSON in field {@code e}:
 * {@code {"v":1,"type":"message"|"read"|"desk"|"update", ...}}. Consumers ignore unknown fields and types.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = MessageEvent.class, name = MessageEvent.TYPE),
        @JsonSubTypes.Type(value = ReadEvent.class, name = ReadEvent.TYPE),
        @JsonSubTypes.Type(value = DeskEvent.class, name = DeskEvent.TYPE),
        @JsonSubTypes.Type(value = UpdateEvent.class, name = UpdateEvent.TYPE)})
public sealed interface StreamEvent permits MessageEvent, ReadEvent, DeskEvent, UpdateEvent {

    int VERSION = 1;

    String type();

    /** The conversation the event belongs to (orders and partitions the log). */
    String conv();
}
