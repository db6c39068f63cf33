package io.chatplatform.auth.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A user as the API shows it: never the password hash. {@code disabled} and {@code deleted} only when true. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(long id, String username, String displayName, Role role, Instant createdAt, String avatar,
        Boolean disabled, Boolean deleted) {

    public static UserView of(User user) {
        return new UserView(user.id, user.username, user.displayName, user.role, user.createdAt, user.avatar,
                user.disabled ? Boolean.TRUE : null, user.deletedAt != null ? Boolean.TRUE : null);
    }
}
