package io.chatplatform.auth.group;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

public final class GroupRequests {

    private GroupRequests() {
    }

    @RegisterForReflection
    public record CreateGroup(String name, List<Long> members) {
    }

    @RegisterForReflection
    public record AddMembers(List<Long> members) {
    }

    @RegisterForReflection
    public record UpdateGroup(String name, String announcement, Boolean onlyAdminsSend) {
    }

    @RegisterForReflection
    public record SetRole(String role) {
    }

    @RegisterForReflection
    public record Transfer(Long uid) {
    }
}
