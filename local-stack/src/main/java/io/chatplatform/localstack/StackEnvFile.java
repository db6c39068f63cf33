package io.chatplatform.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes {@code <stack>/stack.env}: {@code export NAME='value'} lines that a shell can {@code source}. */
final class StackEnvFile {

    private final Path file;
    private final Map<String, String> variables = new LinkedHashMap<>();

    StackEnvFile(Path file) {
        this.file = file;
    }

    StackEnvFile put(String name, String value) {
        if (value != null) {
            variables.put(name, value);
        }
        return this;
    }

    Map<String, String> variables() {
        return variables;
    }

    void write() {
        StringBuilder text = new StringBuilder()
                .append("# Written by LocalStack (pid ").append(ProcessHandle.current().pid())
                .append("); deleted when it stops. Use: source ").append(file.getFileName()).append('\n');
        variables.forEach((name, value) -> text.append("export ").append(name).append('=').append(quote(value))
                .append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort, at shutdown
        }
    }

    /** Single-quoted for POSIX shells. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
