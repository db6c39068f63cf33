package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The close codes of the README's protocol section as a second client library sees them: Node's {@code ws} (the one
 * most bots and servers use), not the JDK client of the other tests. It writes a whole oversized frame before it reads,
 * which a server that drops the connection early turns into 1006. Skipped, with a message, where node or npm is missing.
 */
@Tag("client")
class NodeWsClientTest {

    private static final Path SCRIPTS = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-client");

    private final Platform platform = Platform.get();

    @BeforeAll
    static void installWs() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: the Node ws client tests are skipped");
        Files.createDirectories(WORK);
        for (String file : new String[] {"package.json", "package-lock.json", "close-codes.mjs"}) {
            Files.copy(SCRIPTS.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK.resolve("node_modules/ws/package.json"))) {
            assertEquals(0, run(120, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts").exitValue(), "npm ci of ws");
        }
    }

    @ParameterizedTest
    @CsvSource({"too-large, 1009", "not-utf8, 1007"})
    void nodeWsSeesTheDocumentedCloseCode(String which, int code) throws Exception {
        Client client = Client.register(platform, "node").login("node");
        Process node = run(30, "node", "close-codes.mjs", platform.chatWs.toString(), client.token, which);
        String output = new String(node.getInputStream().readAllBytes()).strip();
        assertEquals("close " + code, output.lines().filter(line -> line.startsWith("close") || line.equals("timeout"))
                .findFirst().orElse(output));
    }

    private static Process run(int seconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        return process;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
