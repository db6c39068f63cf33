package io.chatplatform.auth.user;

public enum Role {
    USER, AGENT, ADMIN
}
