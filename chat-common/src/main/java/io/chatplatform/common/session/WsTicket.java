package io.chatplatform.common.session;

/** What a one-time WebSocket ticket stands for: the device session that asked for it. */
public record WsTicket(long uid, String deviceId, String jti) {

    /** Redis value form: {@code uid:did:jti} (a device id may itself contain ':'; uid and jti cannot). */
    public String encode() {
        return uid + ":" + deviceId + ":" + jti;
    }

    public static WsTicket decode(String value) {
        int first = value.indexOf(':');
        int last = value.lastIndexOf(':');
        if (first <= 0 || last <= first) {
            throw new IllegalArgumentException("malformed ticket value");
        }
        return new WsTicket(Long.parseLong(value.substring(0, first)), value.substring(first + 1, last),
                value.substring(last + 1));
    }
}
