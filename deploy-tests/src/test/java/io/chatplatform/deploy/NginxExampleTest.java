package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/nginx/chat-platform.conf: routes, WebSocket upgrade, timeouts; `nginx -t` where nginx is installed. */
class NginxExampleTest {

    static final Path CONF = HelmChart.REPO.resolve("deploy/nginx/chat-platform.conf");

    /** Top-level blocks "name args { ... }" of a region: header, body (comments removed first). */
    static List<Map.Entry<String, String>> blocks(String text) {
        List<Map.Entry<String, String>> blocks = new java.util.ArrayList<>();
        Matcher header = Pattern.compile("(?m)^\\s*([a-z_]+(?: [^{;\\n]+)?)\\s*\\{").matcher(text);
        int from = 0;
        while (header.find(from)) {
            int depth = 0;
            int i = header.end() - 1;
            for (; i < text.length(); i++) {
                if (text.charAt(i) == '{') {
                    depth++;
                } else if (text.charAt(i) == '}' && --depth == 0) {
                    break;
                }
            }
            blocks.add(Map.entry(header.group(1).trim().replaceAll("\\s+", " "), text.substring(header.end(), i)));
            from = i + 1;
        }
        return blocks;
    }

    static String block(List<Map.Entry<String, String>> blocks, String header, String containing) {
        return blocks.stream().filter(e -> e.getKey().equals(header) && e.getValue().contains(containing))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("no block " + header));
    }

    static String conf() throws IOException {
        return Files.readString(CONF).replaceAll("(?m)#.*$", "");
    }

    @Test
    void routesEachPathToItsService() throws IOException {
        var top = blocks(conf());
        for (String c : ServiceFacts.COMPONENTS) {
            String upstream = block(top, "upstream chat_" + (c.equals("chat") ? "ws" : c), "server");
            assertTrue(upstream.contains(":" + ServiceFacts.of(c).port() + " "), c + " upstream on port " + ServiceFacts.of(c).port());
        }
        String tlsServer = block(top, "server", "listen 443 ssl");
        Map<String, String> locations = new LinkedHashMap<>();
        for (var location : blocks(tlsServer)) {
            Matcher pass = Pattern.compile("proxy_pass http://(\\w+);").matcher(location.getValue());
            locations.put(location.getKey(), pass.find() ? pass.group(1) : location.getValue().contains("return 404") ? "404" : "?");
        }
        assertEquals(Map.of(
                "location = /ws", "chat_ws",
                "location /auth/", "chat_auth",
                "location ~ ^/groups(/|$)", "chat_auth",
                "location = /.well-known/jwks.json", "chat_auth",
                "location /history/", "chat_history",
                "location /media/", "chat_history",
                "location /", "404"), locations);
    }

    @Test
    void webSocketLocationUpgradesAndWaitsLong() throws IOException {
        String conf = conf();
        var top = blocks(conf);
        String map = block(top, "map $http_upgrade $connection_upgrade", "").replaceAll("\\s+", " ");
        assertTrue(map.contains("default upgrade;") && map.contains("'' close;"), map);
        String ws = block(blocks(block(top, "server", "location = /ws")), "location = /ws", "");
        assertTrue(ws.contains("proxy_http_version 1.1;"));
        assertTrue(ws.contains("proxy_set_header Upgrade $http_upgrade;"));
        assertTrue(ws.contains("proxy_set_header Connection $connection_upgrade;"));
        assertTrue(ws.contains("proxy_set_header X-Forwarded-For $remote_addr;"));
        Matcher read = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(ws);
        assertTrue(read.find());
        assertTrue(Integer.parseInt(read.group(1)) >= 3600, "read timeout far above the 75 s heartbeat");
        assertFalse(ws.contains("$request "), "the ticket in the query string is never logged");
        assertFalse(conf.contains("/q/"), "health and metrics stay internal");
    }

    /** The services believe the first X-Forwarded-For address: nginx must set it, never append the client's own. */
    @Test
    void forwardedForIsTheClientAddressNginxSawNeverTheClientsOwnHeader() throws IOException {
        String conf = conf();
        assertFalse(conf.contains("$proxy_add_x_forwarded_for"), "appending keeps the client's X-Forwarded-For first");
        var server = blocks(block(blocks(conf), "server", "listen 443 ssl"));
        int proxied = 0;
        for (var location : server) {
            String body = location.getValue();
            if (body.contains("proxy_pass") && !location.getKey().contains("jwks")) {
                proxied++;
                assertTrue(body.contains("proxy_set_header X-Forwarded-For $remote_addr;"), location.getKey());
            }
        }
        assertEquals(5, proxied, "ws, auth, groups, history, media");
    }

    @Test
    void mediaLocationTakesUploadsUpToHistorysMaxBytesAndStreamsThem() throws IOException {
        String media = block(blocks(block(blocks(conf()), "server", "listen 443 ssl")), "location /media/", "");
        Matcher size = Pattern.compile("client_max_body_size (\\d+)m;").matcher(media);
        assertTrue(size.find(), media);
        String maxBytes = ServiceFacts.of("history").properties().getProperty("history.media.max-bytes")
                .replaceAll("\\$\\{[A-Z_]+:(\\d+)}", "$1");
        assertTrue(Long.parseLong(size.group(1)) * 1024 * 1024 > Long.parseLong(maxBytes),
                "above history.media.max-bytes (" + maxBytes + "), so history answers its JSON 413");
        assertTrue(media.contains("proxy_request_buffering off;"), media);
        assertTrue(block(blocks(conf()), "server", "listen 443 ssl").contains("client_max_body_size 1m;"),
                "everything else keeps the small limit");
    }

    @Test
    void nginxAcceptsIt(@TempDir Path dir) throws Exception {
        String nginx = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx").stream()
                .filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        Assumptions.assumeTrue(nginx != null, "nginx is not installed (apt-get install nginx-light): syntax not checked");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=chat.example.com", "-keyout", dir.resolve("k.key").toString(), "-out", dir.resolve("c.crt").toString())
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        Assumptions.assumeTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "no openssl for a test certificate");
        String site = Files.readString(CONF)
                .replace("/etc/nginx/tls/chat.example.com.crt", dir.resolve("c.crt").toString())
                .replace("/etc/nginx/tls/chat.example.com.key", dir.resolve("k.key").toString())
                .replace("/var/log/nginx/", dir + "/");
        Files.writeString(dir.resolve("site.conf"), site);
        Files.writeString(dir.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {}
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  include %1$s/site.conf;
                }
                """.formatted(dir));
        Process test = new ProcessBuilder(nginx, "-t", "-q", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).start();
        String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(test.waitFor(30, TimeUnit.SECONDS));
        // "nginx -t" as non-root only warns that it cannot open the default error log
        assertEquals(0, test.exitValue(), out);
    }
}
