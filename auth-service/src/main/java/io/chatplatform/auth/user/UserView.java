package io.chatplatform.auth.user;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A user as the API shows it: never the password hash. */
@RegisterForReflection
public record UserView(long id, String username, String displayName, Role role, Instant createdAt) {

    public static UserView of(User user) {
        return new UserView(user.id, user.username, user.displayName, user.role, user.createdAt);
    }
}
