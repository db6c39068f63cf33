package io.chatplatform.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.function.Consumer;

/** The two systems under test and their wire protocols: chat-service's JSON frames, Socket.IO (Engine.IO v4). */
enum Side {
    OURS("chat-service"), PEER("socket.io");

    final String label;

    Side(String label) {
        this.label = label;
    }

    /** Kind of an inbound frame, decided from its first bytes (no JSON parsing on the hot path). */
    enum Kind { MESSAGE, ACK, ERROR, OTHER }

    /**
     * Opens an authenticated connection. The future completes when the server has accepted the credentials:
     * for chat at the HTTP upgrade, for Socket.IO when the namespace CONNECT ({@code 40}) is answered.
     */
    Future<WebSocket> open(WebSocketClient client, int port, String token, Consumer<String> onText) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port);
        if (this == OURS) {
            options.setURI("/ws").addHeader("Authorization", "Bearer " + token);
            return client.connect(options).map(ws -> {
                ws.textMessageHandler(onText::accept);
                return ws;
            });
        }
        options.setURI("/socket.io/?EIO=4&transport=websocket");
        Promise<WebSocket> ready = Promise.promise();
        client.connect(options).onFailure(ready::tryFail).onSuccess(ws -> {
            ws.closeHandler(v -> ready.tryFail("closed during handshake"));
            ws.textMessageHandler(text -> {
                if (text.equals("2")) {
                    ws.writeTextMessage("3"); // Engine.IO ping -> pong
                } else if (text.startsWith("0")) {
                    ws.writeTextMessage("40{\"token\":\"" + token + "\"}");
                } else if (text.startsWith("40")) {
                    ready.tryComplete(ws);
                } else if (text.startsWith("44")) {
                    ready.tryFail("refused: " + text);
                    ws.close();
                } else {
                    onText.accept(text);
                }
            });
        });
        return ready.future();
    }

    Kind kind(String frame) {
        if (this == OURS) {
            if (frame.startsWith("{\"type\":\"message\"")) {
                return Kind.MESSAGE;
            }
            if (frame.startsWith("{\"type\":\"ack\"")) {
                return Kind.ACK;
            }
            if (frame.startsWith("{\"type\":\"error\"")) {
                return Kind.ERROR;
            }
            return Kind.OTHER;
        }
        if (frame.startsWith("42[\"message\"")) {
            return Kind.MESSAGE;
        }
        if (frame.startsWith("43")) {
            return frame.contains("\"error\"") ? Kind.ERROR : Kind.ACK;
        }
        return Kind.OTHER;
    }

    /** A 150-byte (ASCII) text send frame; {@code toJson} is {@code {"user":N}} or {@code "g.N"}. */
    String sendFrame(long id, String toJson, String body) {
        if (this == OURS) {
            return "{\"type\":\"send\",\"id\":\"" + id + "\",\"cid\":\"c" + id + "\",\"to\":" + toJson
                    + ",\"kind\":\"text\",\"body\":\"" + body + "\"}";
        }
        return "42" + id + "[\"send\",{\"cid\":\"c" + id + "\",\"to\":" + toJson + ",\"kind\":\"text\",\"body\":\""
                + body + "\"}]";
    }

    /** Body of {@code size} ASCII chars carrying the intended send time: {@code t<nanos>|xxxx...}. */
    static String body(long intendedNanos, int size) {
        StringBuilder sb = new StringBuilder(size).append('t').append(intendedNanos).append('|');
        while (sb.length() < size) {
            sb.append('x');
        }
        return sb.toString();
    }

    /** The intended send time carried by a delivered message's body, or -1. */
    static long intendedTime(String frame) {
        int i = frame.indexOf("\"body\":\"t");
        if (i < 0) {
            return -1;
        }
        long v = 0;
        for (int p = i + 9; p < frame.length(); p++) {
            char c = frame.charAt(p);
            if (c == '|') {
                return v;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return -1;
    }
}
