package io.chatplatform.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command for tests, on a standalone server or a cluster: sent to the first node, then wherever a
 * {@code MOVED} (or {@code ASK}) redirect points. Replies as {@link RespClient} gives them: String, Long, List, null.
 */
final class RedisCommand {

    private static final int MAX_REDIRECTS = 5;

    private RedisCommand() {
    }

    /** {@code host:port} of each entry of a {@code quarkus.redis.hosts} list ({@code redis://[user:pass@]host:port,...}). */
    static List<String> nodesOf(String hosts) {
        List<String> nodes = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.isBlank()) {
                URI uri = URI.create(host.strip());
                nodes.add(uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 6379));
            }
        }
        return nodes;
    }

    /** The password of the first entry of a {@code quarkus.redis.hosts} list, or null. */
    static String passwordOf(String hosts) {
        String userInfo = URI.create(hosts.split(",")[0].strip()).getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }

    /** Runs {@code args} starting at {@code node} ({@code host:port}), following redirects. */
    static Object call(String node, String password, String... args) {
        String target = node;
        boolean asking = false;
        for (int redirect = 0; redirect <= MAX_REDIRECTS; redirect++) {
            try (RespClient client = connect(target, password)) {
                if (asking) {
                    client.call("ASKING");
                }
                return client.call(args);
            } catch (IllegalStateException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                if (message.startsWith("redis: MOVED ") || message.startsWith("redis: ASK ")) {
                    String[] parts = message.split(" ");
                    target = parts[3];
                    asking = message.startsWith("redis: ASK ");
                    continue;
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException("Redis on " + target + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects for " + args[0]);
    }

    /** A client connected (and authenticated, if {@code password} is set) to {@code node}. */
    static RespClient connect(String node, String password) throws IOException {
        int colon = node.lastIndexOf(':');
        RespClient client = new RespClient(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
        if (password != null) {
            client.call("AUTH", password);
        }
        return client;
    }

    /** The primaries of the cluster {@code node} belongs to ({@code host:port}, from CLUSTER NODES). */
    static List<String> primaries(String node, String password) {
        String reply = (String) call(node, password, "CLUSTER", "NODES");
        List<String> primaries = new ArrayList<>();
        for (String line : reply.split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length > 2 && fields[2].contains("master") && !fields[2].contains("fail")) {
                String address = fields[1];
                int cut = address.indexOf('@');
                primaries.add(cut < 0 ? address : address.substring(0, cut));
            }
        }
        return primaries;
    }
}
