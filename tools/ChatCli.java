/*
 * A command-line chat client for trying the platform from a terminal. JDK only, no build:
 *
 *   java tools/ChatCli.java --user alice --password alice-secret-1 [--register] [--device phone]
 *                           [--auth http://127.0.0.1:8081] [--ws ws://127.0.0.1:8082/ws]
 *
 * It logs in over REST, takes a one-time WebSocket ticket (the browser way) and connects. Then type:
 *   @bob hello          direct message to user bob
 *   #g.12 hello         message to a conversation id
 *   hello               message to the last conversation
 *   /read               mark the last conversation read up to its newest message
 *   /reply 12 text      answer message #12 of the last conversation (quoting it)
 *   /edit 12 new text   change the text of your message #12 (within 48 h)
 *   /recall 12          take back your message #12 (within 2 minutes; group admins: any time)
 *   /react 12 👍        react to message #12; /react 12 -👍 takes the reaction back
 *   /group team bob carol   create a group with those users (you are owner)
 *   /raw {json}         send any frame as it is, e.g. {"type":"desk.open","id":"1","topic":"help"}
 *   /quit
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

public class ChatCli {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String auth;
    private volatile String token;
    private volatile String refreshToken;
    private WebSocket socket;
    private final Map<String, Long> idsByName = new HashMap<>();
    private final Map<Long, String> namesById = new HashMap<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final AtomicLong counter = new AtomicLong();
    /** "conv#seq" → msgId of the messages seen, so commands can name a message by its seq. */
    private final Map<String, String> msgIds = new java.util.concurrent.ConcurrentHashMap<>();
    /** Ids of our send frames whose ack has not come yet (other acks are of updates, reads, desk frames). */
    private final java.util.Set<String> sends = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String lastConv;

    ChatCli(String auth) {
        this.auth = auth;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--auth", "http://127.0.0.1:8081", "--ws", "ws://127.0.0.1:8082/ws",
                "--device", "cli"));
        boolean register = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--register")) {
                register = true;
            } else if (i + 1 < args.length) {
                opts.put(args[i], args[++i]);
            }
        }
        if (!opts.containsKey("--user") || !opts.containsKey("--password")) {
            System.err.println("usage: java tools/ChatCli.java --user NAME --password SECRET [--register] [--device ID]");
            System.exit(2);
        }
        ChatCli cli = new ChatCli(opts.get("--auth"));
        cli.run(opts.get("--user"), opts.get("--password"), opts.get("--device"), opts.get("--ws"), register);
    }

    void run(String user, String password, String device, String ws, boolean register) throws Exception {
        if (register) {
            var created = post("/auth/register", Json.object("username", user, "password", password), null);
            System.out.println(created.statusCode() == 201 ? "registered " + user
                    : "register: " + Json.parse(created.body()).get("message"));
        }
        var login = post("/auth/login", Json.object("username", user, "password", password, "deviceId", device), null);
        Map<String, Object> body = Json.parse(login.body());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + body.get("message"));
        }
        adopt(body);
        namesById.put(((Number) body.get("userId")).longValue(), user);
        CountDownLatch closed = new CountDownLatch(1);
        this.ws = ws;
        connect(closed);
        System.out.println("connected as " + user + " on device " + device + ". Type @user text, #conv text, /read, /group, /raw, /quit");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while (closed.getCount() > 0 && (line = in.readLine()) != null) {
            try {
                if (!handle(line.strip())) {
                    break;
                }
            } catch (RuntimeException e) {
                System.out.println("! " + e.getMessage());
            }
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    private String ws;

    /** A one-time ticket (the access token is renewed first if it expired), then the WebSocket. */
    private void connect(CountDownLatch closed) throws Exception {
        var issued = post("/auth/ws-ticket", "{}", token);
        if (issued.statusCode() != 200) {
            throw new IllegalStateException("no WebSocket ticket: " + Json.parse(issued.body()).get("message"));
        }
        String ticket = (String) Json.parse(issued.body()).get("ticket");
        socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(ws + "?ticket=" + ticket), new Listener(closed)).join();
    }

    private boolean handle(String line) throws Exception {
        if (line.isEmpty()) {
            return true;
        }
        if (line.equals("/quit")) {
            return false;
        }
        if (line.startsWith("/raw ")) {
            send(line.substring(5).strip()); // any frame, e.g. {"type":"desk.open","id":"1","topic":"help"}
            return true;
        }
        if (line.equals("/read")) {
            if (lastConv != null) {
                send(Json.object("type", "read", "id", nextId(), "conv", lastConv, "seq", lastSeq.getOrDefault(lastConv, 0L)));
            }
            return true;
        }
        if (line.startsWith("/reply ") || line.startsWith("/edit ") || line.startsWith("/recall ") || line.startsWith("/react ")) {
            lifecycle(line);
            return true;
        }
        if (line.startsWith("/group ")) {
            String[] parts = line.split("\\s+");
            List<Object> members = new ArrayList<>();
            for (int i = 2; i < parts.length; i++) {
                members.add(userId(parts[i]));
            }
            var created = post("/groups", Json.object("name", parts[1], "members", members), token);
            Map<String, Object> group = Json.parse(created.body());
            if (created.statusCode() != 201) {
                throw new IllegalStateException((String) group.get("message"));
            }
            lastConv = "g." + group.get("id");
            System.out.println("created group " + parts[1] + ": conversation " + lastConv);
            return true;
        }
        Object to;
        String text;
        if (line.startsWith("@") || line.startsWith("#")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("write a message after the name");
            }
            String target = line.substring(1, space);
            text = line.substring(space + 1);
            to = line.startsWith("@") ? Json.map("user", userId(target)) : target;
        } else {
            if (lastConv == null) {
                throw new IllegalArgumentException("start with @user or #conversation");
            }
            to = lastConv;
            text = line;
        }
        String id = nextId();
        sends.add(id);
        send(Json.object("type", "send", "id", id, "cid", "cli-" + System.nanoTime(), "to", to, "kind", "text", "body", text));
        return true;
    }

    /** /reply, /edit, /recall, /react: the message is named by its #seq in the last conversation. */
    private void lifecycle(String line) {
        String[] parts = line.split("\\s+", 3);
        if (lastConv == null || parts.length < 2 || !parts[1].matches("#?\\d+")) {
            throw new IllegalArgumentException("usage: " + parts[0] + " SEQ ... (a message of the last conversation)");
        }
        String msgId = msgIds.get(lastConv + "#" + parts[1].replace("#", ""));
        if (msgId == null) {
            throw new IllegalArgumentException("no message #" + parts[1] + " seen in " + lastConv);
        }
        String rest = parts.length > 2 ? parts[2] : "";
        String id = nextId();
        switch (parts[0]) {
            case "/reply" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException("usage: /reply SEQ text");
                }
                sends.add(id);
                send(Json.object("type", "send", "id", id, "cid", "cli-" + System.nanoTime(), "to", lastConv, "kind", "text",
                        "body", rest, "replyTo", msgId));
            }
            case "/edit" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException("usage: /edit SEQ new text");
                }
                send(Json.object("type", "edit", "id", id, "conv", lastConv, "msgId", msgId, "body", rest));
            }
            case "/recall" -> send(Json.object("type", "recall", "id", id, "conv", lastConv, "msgId", msgId));
            default -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException("usage: /react SEQ emoji  (or -emoji to take it back)");
                }
                boolean off = rest.startsWith("-");
                send(Json.object("type", "react", "id", id, "conv", lastConv, "msgId", msgId, "emoji",
                        off ? rest.substring(1).strip() : rest.strip(), "on", !off));
            }
        }
    }

    private String nextId() {
        return String.valueOf(counter.incrementAndGet());
    }

    private void send(String frame) {
        socket.sendText(frame, true).join();
    }

    private long userId(String name) throws Exception {
        Long known = idsByName.get(name);
        if (known != null) {
            return known;
        }
        var response = get("/auth/users?username=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        Map<String, Object> user = Json.parse(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException(name + ": " + user.get("message"));
        }
        long id = ((Number) user.get("id")).longValue();
        idsByName.put(name, id);
        namesById.put(id, name);
        return id;
    }

    private String userName(long id) {
        return namesById.computeIfAbsent(id, uid -> {
            try {
                var response = get("/auth/users/" + uid);
                return response.statusCode() == 200 ? (String) Json.parse(response.body()).get("username") : "user" + uid;
            } catch (Exception e) {
                return "user" + uid;
            }
        });
    }

    private void show(Map<String, Object> frame) {
        String type = String.valueOf(frame.get("type"));
        switch (type) {
            case "message" -> {
                String conv = (String) frame.get("conv");
                long seq = ((Number) frame.get("seq")).longValue();
                lastSeq.merge(conv, seq, Math::max);
                lastConv = conv;
                msgIds.put(conv + "#" + seq, (String) frame.get("msgId"));
                Object body = frame.get("body") != null ? frame.get("body") : frame.get("media");
                String quote = "";
                if (frame.get("replyTo") instanceof Map<?, ?> reply) {
                    quote = "(re #" + reply.get("seq") + " \"" + (reply.get("preview") == null ? "…" : reply.get("preview")) + "\") ";
                }
                System.out.printf("[%s #%d] %s(%s): %s%s%n", conv, seq, userName(((Number) frame.get("from")).longValue()),
                        frame.get("fromDevice"), quote, body);
            }
            case "update" -> {
                String conv = (String) frame.get("conv");
                if (frame.get("seq") instanceof Number n) {
                    lastSeq.merge(conv, n.longValue(), Math::max);
                }
                String target = msgIds.entrySet().stream().filter(e -> e.getValue().equals(frame.get("msgId")))
                        .map(e -> e.getKey().substring(e.getKey().indexOf('#'))).findFirst().orElse((String) frame.get("msgId"));
                String who = userName(((Number) frame.get("by")).longValue());
                switch (String.valueOf(frame.get("op"))) {
                    case "edit" -> System.out.printf("[%s %s] %s edited: %s%n", conv, target, who, frame.get("body"));
                    case "recall" -> System.out.printf("[%s %s] %s recalled a message%n", conv, target, who);
                    case "react" -> System.out.printf("[%s %s] %s reacted %s%n", conv, target, who, frame.get("emoji"));
                    case "unreact" -> System.out.printf("[%s %s] %s took back %s%n", conv, target, who, frame.get("emoji"));
                    case "hide" -> System.out.printf("[%s %s] hidden on your devices%n", conv, target);
                    default -> System.out.println("  " + Json.write(frame));
                }
            }
            case "ack" -> {
                String conv = (String) frame.get("conv");
                if (frame.get("ticket") != null) {
                    System.out.printf("  %s is %s%n", frame.get("ticket"), frame.get("state"));
                } else if (conv != null && frame.get("msgId") != null && frame.get("seq") instanceof Number seq) {
                    lastConv = conv;
                    lastSeq.merge(conv, seq.longValue(), Math::max);
                    if (sends.remove(String.valueOf(frame.get("id")))) {
                        msgIds.put(conv + "#" + seq.longValue(), (String) frame.get("msgId"));
                        System.out.printf("  sent to %s as #%s%n", conv, seq);
                    } else {
                        System.out.printf("  done (#%s)%n", seq);
                    }
                }
            }
            case "receipt" -> System.out.printf("  %s read %s up to #%s%n", userName(((Number) frame.get("uid")).longValue()),
                    frame.get("conv"), frame.get("seq"));
            case "typing" -> System.out.printf("  %s is typing in %s%n", userName(((Number) frame.get("uid")).longValue()), frame.get("conv"));
            case "error" -> {
                sends.remove(String.valueOf(frame.get("id")));
                System.out.printf("! %s: %s%n", frame.get("code"), frame.get("message"));
            }
            case "desk.queue", "desk.state", "desk.offer" -> System.out.println("  " + Json.write(frame));
            default -> System.out.println("  " + frame);
        }
    }

    /**
     * Keeps the tokens of a login or refresh answer and plans the next silent refresh a minute (at most a fifth of the
     * lifetime) before the access token expires. Access tokens live 15 minutes by default; the refresh token 30 days.
     */
    private void adopt(Map<String, Object> answer) {
        token = (String) answer.get("accessToken");
        refreshToken = (String) answer.get("refreshToken");
        Object expiresAt = answer.get("expiresAt");
        if (expiresAt == null || refreshToken == null) {
            return;
        }
        long left = java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(expiresAt.toString())).toMillis();
        long ahead = Math.min(60_000, Math.max(1_000, left / 5));
        Thread renew = new Thread(() -> {
            try {
                Thread.sleep(Math.max(1_000, left - ahead));
                refresh();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.out.println("! token refresh failed: " + e.getMessage() + " (retried on the next 401)");
            }
        }, "token-refresh");
        renew.setDaemon(true);
        renew.start();
    }

    /**
     * POST /auth/refresh with the refresh token (each use rotates it; a used one presented again ends the session, so
     * refreshes never overlap). False when the session is over.
     */
    private synchronized boolean refresh() throws Exception {
        String used = refreshToken;
        if (used == null) {
            return false;
        }
        HttpResponse<String> answer = sendRetrying(HttpRequest.newBuilder(URI.create(auth + "/auth/refresh"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.object("refreshToken", used))).build());
        if (answer.statusCode() != 200) {
            if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                refreshToken = null;
                System.out.println("! session ended: " + Json.parse(answer.body()).get("message"));
            }
            return false;
        }
        adopt(Json.parse(answer.body()));
        return true;
    }

    private HttpResponse<String> post(String path, String json, String bearer) throws Exception {
        // a login refused as busy opened no session, so it is as safe to repeat as a GET
        return authorized(bearer == null ? null : ignored -> token, bearerToken -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(auth + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            if (bearerToken != null) {
                request.header("Authorization", "Bearer " + bearerToken);
            }
            return request.build();
        }, "/auth/login".equals(path));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return authorized(ignored -> token, bearer -> HttpRequest.newBuilder(URI.create(auth + path))
                .header("Authorization", "Bearer " + bearer).build(), true);
    }

    /** Sends; a 401 of a signed-in call refreshes the access token once and repeats the call with the new one. */
    private HttpResponse<String> authorized(java.util.function.Function<Void, String> bearer,
            java.util.function.Function<String, HttpRequest> request, boolean retryBusy) throws Exception {
        String current = bearer == null ? null : bearer.apply(null);
        HttpResponse<String> response = retryBusy ? sendRetrying(request.apply(current))
                : HTTP.send(request.apply(current), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 && bearer != null && refresh()) {
            String renewed = token;
            response = retryBusy ? sendRetrying(request.apply(renewed)) : HTTP.send(request.apply(renewed), HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }

    /**
     * 503 or 429 with Retry-After: wait that long, or 2^attempt s when that is longer, times a random 1-2 (a growing,
     * jittered back-off), at most 3 more times.
     */
    private static HttpResponse<String> sendRetrying(HttpRequest request) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            java.util.Optional<String> retryAfter = response.headers().firstValue("Retry-After");
            if (attempt >= 3 || (response.statusCode() != 503 && response.statusCode() != 429)
                    || retryAfter.isEmpty() || !retryAfter.get().strip().matches("\\d{1,4}")) {
                return response;
            }
            long seconds = Math.min(30, Math.max(Long.parseLong(retryAfter.get().strip()), 1L << attempt));
            long waitMs = (long) (seconds * 1000 * (1 + java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
            System.out.printf("  server busy (%d), retrying in %d ms%n", response.statusCode(), waitMs);
            Thread.sleep(waitMs);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CountDownLatch closed;

        Listener(CountDownLatch closed) {
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                show(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            System.out.printf("connection closed by the server: %d %s%n", statusCode, reason);
            // 4001 may only mean that Redis lost the device session: a refresh re-creates it, then connect again
            if (statusCode == 4001) {
                try {
                    if (refresh()) {
                        connect(closed);
                        System.out.println("  reconnected after a refresh");
                        return null;
                    }
                } catch (Exception e) {
                    System.out.println("! could not reconnect: " + e.getMessage());
                }
            }
            closed.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            System.out.println("connection failed: " + error);
            closed.countDown();
        }
    }

    /** Just enough JSON for this tool (the JDK has none): objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> parse(String text) {
            Object value = new Json(text).value();
            return value instanceof Map ? (Map<String, Object>) value : Map.of();
        }

        static Map<String, Object> map(Object... keysAndValues) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
            return map;
        }

        static String object(Object... keysAndValues) {
            return write(map(keysAndValues));
        }

        static String write(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof String s) {
                StringBuilder out = new StringBuilder("\"");
                for (char c : s.toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                    }
                }
                return out.append('"').toString();
            }
            if (value instanceof Map<?, ?> map) {
                List<String> parts = new ArrayList<>();
                map.forEach((k, v) -> parts.add(write(String.valueOf(k)) + ":" + write(v)));
                return "{" + String.join(",", parts) + "}";
            }
            if (value instanceof List<?> list) {
                List<String> parts = new ArrayList<>();
                list.forEach(v -> parts.add(write(v)));
                return "[" + String.join(",", parts) + "]";
            }
            return String.valueOf(value);
        }

        private Object value() {
            skip();
            char c = text.charAt(pos);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                pos++;
                skip();
                if (text.charAt(pos) == '}') {
                    pos++;
                    return map;
                }
                while (true) {
                    skip();
                    String key = string();
                    skip();
                    pos++; // ':'
                    map.put(key, value());
                    skip();
                    if (text.charAt(pos++) == '}') {
                        return map;
                    }
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                pos++;
                skip();
                if (text.charAt(pos) == ']') {
                    pos++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skip();
                    if (text.charAt(pos++) == ']') {
                        return list;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            int start = pos;
            while (pos < text.length() && ",}] \n\r\t".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String word = text.substring(start, pos);
            return switch (word) {
                case "true" -> true;
                case "false" -> false;
                case "null" -> null;
                default -> word.contains(".") || word.contains("e") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
            };
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (true) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void skip() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
