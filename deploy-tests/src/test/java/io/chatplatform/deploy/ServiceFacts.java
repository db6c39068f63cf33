package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service reads, from its own sources: application.properties (ports, durations, keys, the
 * {@code ${ENV_VAR:default}} expressions) and its {@code @ConfigMapping} interface. The chart is checked against
 * these, so a renamed property or a changed timeout in a service shows up here as a failing test.
 */
record ServiceFacts(String component, String module, Properties properties, Set<String> envNames) {

    static final List<String> COMPONENTS = List.of("auth", "chat", "history");

    /**
     * Quarkus extension properties the chart sets that a service leaves at their defaults in
     * application.properties (so they do not appear there); each belongs to an extension the service uses.
     */
    private static final java.util.Map<String, Set<String>> QUARKUS_BUILT_INS = java.util.Map.of(
            "auth", Set.of("QUARKUS_REDIS_PASSWORD", "QUARKUS_REDIS_CLIENT_TYPE", "QUARKUS_DATASOURCE_PASSWORD"),
            "chat", Set.of("QUARKUS_REDIS_PASSWORD", "QUARKUS_REDIS_CLIENT_TYPE"),
            "history", Set.of("QUARKUS_REDIS_PASSWORD", "QUARKUS_REDIS_CLIENT_TYPE"));

    static ServiceFacts of(String component) {
        String module = component + "-service";
        Path file = HelmChart.REPO.resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> env = new HashSet<>(QUARKUS_BUILT_INS.get(component));
        Pattern expression = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        for (String key : properties.stringPropertyNames()) {
            // %dev.auth.admin.username=... documents the property auth.admin.username, read in every profile
            env.add(envName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
            Matcher m = expression.matcher(properties.getProperty(key));
            while (m.find()) {
                env.add(m.group(1));
            }
        }
        env.addAll(configMappingEnvNames(module));
        return new ServiceFacts(component, module, properties, Set.copyOf(env));
    }

    /** SmallRye's rule: every character that is not a letter or digit becomes '_', then upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Env names of the {@code @ConfigMapping(prefix = ...)} interfaces in the service's config package: prefix,
     * nested interface accessors and leaf accessors in kebab case (e.g. auth.jwt.key-dir -> AUTH_JWT_KEY_DIR).
     */
    private static Set<String> configMappingEnvNames(String module) {
        Set<String> names = new HashSet<>();
        Path sources = HelmChart.REPO.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path source : files.filter(p -> p.toString().endsWith("Config.java")).toList()) {
                String text = Files.readString(source);
                Matcher prefix = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)").matcher(text);
                if (!prefix.find()) {
                    continue;
                }
                collect(text, prefix.group(1), names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Accessors per interface (brace depth tracked line by line), then a walk from the annotated interface: an
     * accessor whose type is one of the file's interfaces opens a level (auth.jwt), any other is a leaf.
     */
    private static void collect(String text, String prefix, Set<String> names) {
        Pattern iface = Pattern.compile("^\\s*(?:public\\s+)?interface (\\w+)\\b.*\\{\\s*$");
        Pattern accessor = Pattern.compile("^\\s*(?:default\\s+)?([\\w.]+(?:<[^()]*>)?)\\s+(\\w+)\\(\\)\\s*;\\s*$");
        java.util.Map<String, List<String[]>> accessors = new java.util.LinkedHashMap<>();
        java.util.Deque<String[]> open = new java.util.ArrayDeque<>(); // {interface name, depth at its opening}
        String top = null;
        int depth = 0;
        for (String line : text.split("\\R")) {
            Matcher i = iface.matcher(line);
            if (i.find()) {
                open.push(new String[] {i.group(1), String.valueOf(depth)});
                accessors.putIfAbsent(i.group(1), new java.util.ArrayList<>());
                if (top == null) {
                    top = i.group(1);
                }
            } else if (!open.isEmpty() && Integer.parseInt(open.peek()[1]) == depth - 1) {
                Matcher a = accessor.matcher(line);
                if (a.find()) {
                    accessors.get(open.peek()[0]).add(new String[] {a.group(1), a.group(2)});
                }
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!open.isEmpty() && Integer.parseInt(open.peek()[1]) == depth) {
                        open.pop();
                    }
                }
            }
        }
        if (top != null) {
            walk(top, prefix, accessors, names);
        }
    }

    private static void walk(String type, String path, java.util.Map<String, List<String[]>> accessors, Set<String> names) {
        for (String[] a : accessors.get(type)) {
            String child = path + "." + kebab(a[1]);
            if (accessors.containsKey(a[0]) && !a[0].equals(type)) {
                walk(a[0], child, accessors, names);
            } else {
                names.add(envName(child));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    int port() {
        // quarkus.http.port=${AUTH_PORT:8081}
        Matcher m = Pattern.compile("\\$\\{\\w+:(\\d+)}|^(\\d+)$").matcher(properties.getProperty("quarkus.http.port", ""));
        if (!m.find()) {
            return fail(module + ": cannot read quarkus.http.port");
        }
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** A prod-profile duration property ("10s", "2m"), or the fallback when the service does not set it. */
    Duration duration(String key, Duration fallback) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = Pattern.compile("^(\\d+)(ms|s|m|h)$").matcher(value.trim());
        if (!m.find()) {
            return fail(module + ": cannot read " + key + "=" + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    boolean reads(String envVar) {
        return envNames.contains(envVar);
    }
}
