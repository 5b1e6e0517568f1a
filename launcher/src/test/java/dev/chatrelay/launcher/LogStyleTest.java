package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every log statement of the product starts with {@code event=area.what}, then key=value pairs. */
class LogStyleTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LOG_CALL = Pattern.compile(
      "\\b(?:log|LOG)\\.(?:trace|debug|info|warn|error)\\(\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,)]+)");
  private static final Pattern EVENT = Pattern.compile("\"event=[a-z][a-z0-9_]*\\.[a-z0-9_.]+( .*)?\"");

  @Test
  void everyLogLineIsAnEventWithKeys() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String module : List.of("shared-protocol", "gateway-verticle", "relay-verticle",
        "worker-verticle", "launcher")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String text = read(file);
          Matcher m = LOG_CALL.matcher(text);
          while (m.find()) {
            String first = m.group(1).strip();
            if (first.startsWith("readyLine(")) {
              continue; // "READY <url> event=system.ready ...": the contract's line
            }
            if (!EVENT.matcher(first).matches()) {
              int line = text.substring(0, m.start()).split("\n", -1).length;
              problems.add(REPO.relativize(file) + ":" + line + " logs " + first
                  + " (write \"event=area.what key={} ...\")");
            }
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
