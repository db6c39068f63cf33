package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static checks of src/main/docker (no Docker here): each Dockerfile knows the three services and their real
 * ports, ends as a numeric non-root user on a UBI 9 base with a health check, and copies what the Maven build
 * produces (checked against the build output when this reactor built it).
 */
class DockerfilesTest {

    static final Path DOCKER = HelmChart.REPO.resolve("src/main/docker");

    /** The instructions, continuation lines joined, comments dropped. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                result.add(current.toString().strip());
            }
            current.setLength(0);
        }
        return result;
    }

    /** The instructions of the last stage: what the image is. */
    static List<String> finalStage(List<String> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-sources"})
    void imageIsSmallNonRootAndKnowsEachServicesPort(String name) throws IOException {
        List<String> all = instructions(DOCKER.resolve(name));
        List<String> image = finalStage(all);
        String text = String.join("\n", image);

        Map<String, Integer> ports = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+-service)\\) echo (\\d+)").matcher(text);
        while (m.find()) {
            ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String c : ServiceFacts.COMPONENTS) {
            ServiceFacts facts = ServiceFacts.of(c);
            expected.put(facts.module(), facts.port());
            assertTrue(text.matches("(?s).*EXPOSE [0-9 ]*\\b" + facts.port() + "\\b.*"), name + " exposes " + facts.port());
        }
        assertEquals(expected, ports, name + ": SERVICE -> port");
        assertTrue(text.contains("exit 1"), name + ": an unknown SERVICE fails the build");

        String from = image.get(0);
        String base = resolveArg(all, from.substring(5).split("\\s+")[0]);
        assertTrue(base.contains("ubi9"), name + ": UBI 9 base, was " + base);
        assertTrue(base.contains("micro") || base.contains("runtime"), name + ": a minimal runtime base, was " + base);

        List<String> users = image.stream().filter(i -> i.startsWith("USER ")).toList();
        assertFalse(users.isEmpty(), name + ": sets USER");
        String user = users.get(users.size() - 1).substring(5).trim();
        assertTrue(user.matches("\\d+"), name + ": numeric USER (runAsNonRoot can verify it), was " + user);
        assertNotEquals("0", user);

        String health = image.stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no HEALTHCHECK"));
        assertTrue(health.contains("/q/health/live"), health);
        assertTrue(image.stream().anyMatch(i -> i.startsWith("ENTRYPOINT ")));
    }

    /** The HEALTHCHECK command itself, run by bash against a local server answering like a service. */
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-sources"})
    void healthCheckPassesOnlyOnALiveAnswer(String name, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String health = finalStage(instructions(DOCKER.resolve(name))).stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst()
                .orElseThrow();
        Matcher exec = Pattern.compile("CMD (\\[.*])$").matcher(health);
        assertTrue(exec.find(), "exec form: " + health);
        List<String> argv = new com.fasterxml.jackson.databind.ObjectMapper().readValue(exec.group(1),
                new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
        assertEquals(List.of("/bin/bash", "-c"), argv.subList(0, 2));
        Matcher portFile = Pattern.compile("\\$\\(< ([^)]+)\\)").matcher(argv.get(2));
        assertTrue(portFile.find(), "reads the port the build wrote: " + argv.get(2));

        int[] status = {200};
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/q/health/live", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            Path port = dir.resolve(".port");
            Files.writeString(port, server.getAddress().getPort() + "\n");
            String command = argv.get(2).replace(portFile.group(1), port.toString());
            assertEquals(0, bash(command), "UP answers 200");
            status[0] = 503;
            assertNotEquals(0, bash(command), "DOWN answers 503");
        } finally {
            server.stop(0);
        }
    }

    private static int bash(String command) throws Exception {
        Process p = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static String resolveArg(List<String> instructions, String value) {
        Matcher ref = Pattern.compile("^\\$\\{(\\w+)}$").matcher(value);
        if (!ref.find()) {
            return value;
        }
        return instructions.stream().filter(i -> i.startsWith("ARG " + ref.group(1) + "=")).findFirst()
                .map(i -> i.substring(i.indexOf('=') + 1)).orElseThrow(() -> new AssertionError("no default for " + value));
    }

    /** COPY sources of the final stage (and of build stages reading the context), with SERVICE substituted. */
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-sources"})
    void copiesWhatTheBuildProducesAndTheIgnoreFileLetsThrough(String name) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String i : instructions(DOCKER.resolve(name))) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                String[] words = i.split("\\s+");
                for (int w = 1; w < words.length - 1; w++) {
                    if (!words[w].startsWith("--")) {
                        sources.add(words[w]);
                    }
                }
            }
        }
        assertFalse(sources.isEmpty());
        List<String> ignore = Files.readAllLines(DOCKER.resolve(name + ".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals("*", ignore.get(0), "everything out, then the build output back in");
        List<PathMatcher> included = ignore.stream().skip(1).filter(l -> l.startsWith("!"))
                .map(l -> FileSystems.getDefault().getPathMatcher("glob:" + l.substring(1).replaceAll("/$", "") + "{,/**}"))
                .toList();
        for (String c : ServiceFacts.COMPONENTS) {
            String module = c + "-service";
            for (String source : sources) {
                String path = source.replace("${SERVICE}", module).replaceAll("/$", "");
                String probe = path.replace("*", "x");
                assertTrue(included.stream().anyMatch(p -> p.matches(Path.of(probe))),
                        name + ".dockerignore keeps " + path + " out of the build context");
                // when this reactor built the module, the source exists (a renamed output shows up here)
                Path target = HelmChart.REPO.resolve(module).resolve("target/quarkus-app");
                if (source.contains("quarkus-app") && Files.isDirectory(target)) {
                    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + HelmChart.REPO.resolve(path));
                    try (Stream<Path> files = Files.walk(HelmChart.REPO.resolve(module).resolve("target"), 3)) {
                        assertTrue(files.anyMatch(glob::matches), name + ": " + path + " exists after the build");
                    }
                }
            }
        }
    }
}
