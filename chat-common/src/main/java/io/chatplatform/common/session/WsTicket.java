package io.chatplatform.common.session;

/**
 * What a one-time WebSocket ticket stands for: the device session that asked for it. The stored value is
 * {@code uid:did:jti}; username and role come from the session's metadata hash when it is redeemed.
 */
public record WsTicket(long uid, String deviceId, String jti, String username, String role) {

    public WsTicket(long uid, String deviceId, String jti) {
        this(uid, deviceId, jti, null, null);
    }

    WsTicket withAccount(String username, String role) {
        return new WsTicket(uid, deviceId, jti, username, role);
    }

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
