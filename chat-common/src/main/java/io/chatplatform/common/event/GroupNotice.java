package io.chatplatform.common.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change of a group made in auth-service (roles, name, announcement, send mode, owner, members, dissolution) that
 * chat-service posts as a {@code SYSTEM} message in {@code g.{gid}}. auth appends it to the stream
 * {@link #STREAM} (field {@code e}, this record as JSON) before it answers; chat's consumer group {@link #GROUP} turns
 * each entry into one message on the log and acknowledges it afterwards. Only chat gives out seqs, so auth never
 * writes to {@code chat:log:*} itself.
 *
 * @param action what changed: {@code created}, {@code renamed}, {@code announcement}, {@code only-admins-send},
 *               {@code role}, {@code owner}, {@code members-added}, {@code member-removed}, {@code member-left},
 *               {@code dissolved}
 * @param text   the message text shown to members
 */
@RegisterForReflection
public record GroupNotice(long gid, long actor, String action, String text, long ts) {

    public static final String STREAM = "chat:group-notices";
    public static final String GROUP = "chat";
}
