package io.chatplatform.auth.group;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

@RegisterForReflection
public record GroupView(long id, String name, long owner, List<Long> members, Instant createdAt) {

    static GroupView of(ChatGroup group) {
        return new GroupView(group.id, group.name, group.ownerId, group.members.stream().sorted().toList(), group.createdAt);
    }
}
