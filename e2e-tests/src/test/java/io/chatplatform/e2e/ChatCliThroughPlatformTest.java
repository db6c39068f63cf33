package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.localstack.SharedStores;
import io.chatplatform.localstack.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code tools/ChatCli.java} as a user runs it (the JDK's source launcher, a real process, stdin and stdout) against the
 * packaged platform: it registers, connects with a ticket, sends to a user by name; then Redis loses its device session
 * (as after a Redis restart), and the next command still works because the CLI renews its tokens with the refresh token
 * on the 401, which re-creates the session.
 */
@Tag("client")
class ChatCliThroughPlatformTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEVICE = "cli";
    private static final Duration SESSION_CHECK_CACHE = Duration.ofMillis(1_500);

    private final Platform platform = Platform.get();

    @Test
    void theCliChatsAndRenewsItsSessionAfterRedisLostIt() throws Exception {
        Client bob = Client.register(platform, "clibob").login("bob-laptop");
        Client carol = Client.register(platform, "clicarol").login("carol-laptop");
        String alice = "clialice" + System.nanoTime() % 1_000_000_000L;
        Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("..", "tools", "ChatCli.java").toAbsolutePath().normalize().toString(),
                "--user", alice, "--password", "alice-secret-1", "--register", "--device", DEVICE,
                "--auth", platform.auth.toString(), "--ws", platform.chatWs.toString())
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(cli, output), "chat-cli-output");
        reader.setDaemon(true);
        reader.start();
        try (WsClient bobSocket = bob.connect(); WsClient carolSocket = carol.connect();
             Writer input = new OutputStreamWriter(cli.getOutputStream(), StandardCharsets.UTF_8)) {
            awaitLine(output, line -> line.startsWith("connected as " + alice), "the CLI connected");

            type(input, "@" + bob.username + " hello bob");
            JsonNode first = bobSocket.await(frame -> "message".equals(frame.path("type").asText())
                    && "hello bob".equals(frame.path("body").asText()), WAIT);
            long aliceUid = first.get("from").asLong();

            // Redis loses alice's device session; her refresh token (MySQL) is still good
            String sessions = SessionKeys.sessions(aliceUid);
            assertNotNull(SharedStores.redisCommand("HGET", sessions, DEVICE), "the CLI's device session exists");
            SharedStores.redisCommand("HDEL", sessions, DEVICE);
            Thread.sleep(SESSION_CHECK_CACHE.toMillis()); // auth trusts a confirmed session this long (prod default)

            // looking carol up answers 401 first: the CLI refreshes, which re-creates the session, and goes on
            type(input, "@" + carol.username + " after the loss");
            JsonNode second = carolSocket.await(frame -> "message".equals(frame.path("type").asText())
                    && "after the loss".equals(frame.path("body").asText()), WAIT);
            assertEquals(aliceUid, second.get("from").asLong());
            assertNotNull(SharedStores.redisCommand("HGET", sessions, DEVICE), "the refresh re-created the device session");
            assertTrue(output.stream().noneMatch(line -> line.startsWith("! session ended")), String.join("\n", output));

            type(input, "/quit");
            assertTrue(cli.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the CLI quits on /quit:\n" + String.join("\n", output));
            assertEquals(0, cli.exitValue(), String.join("\n", output));
        } finally {
            cli.destroyForcibly();
        }
    }

    private static void type(Writer input, String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    private static void readLines(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static void awaitLine(List<String> output, Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what + "; output:\n" + String.join("\n", output));
    }
}
