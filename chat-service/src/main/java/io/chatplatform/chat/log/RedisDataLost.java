package io.chatplatform.chat.log;

/** CDI event: Redis lost data this instance relies on (found when a log stream was gone); re-assert what lives only there. */
public record RedisDataLost(String evidence) {
}
