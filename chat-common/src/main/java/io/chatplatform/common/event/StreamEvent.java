package io.chatplatform.common.event;

/**
 * One entry of the durable log {@code chat:log:{p}}, stored as JSON in field {@code e}:
 * {@code {"v":1,"type":"message"|"read"|"desk"|"update", ...}}. Consumers ignore unknown fields and types.
 */
public sealed interface StreamEvent permits MessageEvent, ReadEvent, DeskEvent, UpdateEvent {

    int VERSION = 1;

    String type();

    /** The conversation the event belongs to (orders and partitions the log). */
    String conv();
}
