package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.protocol.config.SettingsDocs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each {@code RELAY_*} name is spelled once, in the registry: role code reads
 * {@code Settings.X}, and every name mentioned in main sources and docs is a registered one.
 */
class SettingNamesTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  /** Modules whose code may use the registry (loadgen is a tool without shared-protocol). */
  private static final List<String> ROLE_MODULES = List.of("shared-protocol", "gateway-verticle",
      "relay-verticle", "worker-verticle", "launcher");
  private static final Pattern QUOTED = Pattern.compile("\"(RELAY_[A-Z0-9_]+)\"");
  private static final Pattern NAME = Pattern.compile("\\bRELAY_[A-Z0-9_]*[A-Z0-9]\\b");
  /** Read only by the test suites, never by the product. */
  private static final Set<String> TEST_ONLY = Set.of("RELAY_TEST_REDIS_URL");

  @Test
  void noMainSourceSpellsASettingNameOutsideTheRegistry() {
    List<String> problems = new ArrayList<>();
    for (Path file : javaFiles(ROLE_MODULES)) {
      if (file.endsWith(Path.of(SettingsDocs.REGISTRY))) {
        continue;
      }
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = QUOTED.matcher(lines.get(i));
        while (m.find()) {
          problems.add(where(file, i) + " spells \"" + m.group(1) + "\": " + fix(m.group(1)));
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyNameMentionedInSourcesAndDocsIsRegistered() {
    Set<String> registered = Settings.all().stream().map(Setting::name)
        .collect(Collectors.toSet());
    List<Path> files = new ArrayList<>(javaFiles(List.of("shared-protocol", "gateway-verticle",
        "relay-verticle", "worker-verticle", "launcher", "loadgen")));
    files.add(REPO.resolve("README.md"));
    files.addAll(tree(REPO.resolve("docs"), ".md"));
    files.addAll(tree(REPO.resolve("k8s"), ".yaml"));
    files.addAll(tree(REPO.resolve("k8s"), ".env"));
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = NAME.matcher(lines.get(i));
        while (m.find()) {
          String name = m.group();
          if (!registered.contains(name) && !TEST_ONLY.contains(name)) {
            problems.add(where(file, i) + " mentions " + name + ", which is not registered: "
                + fix(name));
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyRegisteredSettingIsReadByTheCode() throws IllegalAccessException {
    StringBuilder code = new StringBuilder();
    for (Path file : javaFiles(ROLE_MODULES)) {
      if (!file.endsWith(Path.of(SettingsDocs.REGISTRY))) {
        code.append(String.join("\n", lines(file))).append('\n');
      }
    }
    List<String> unread = new ArrayList<>();
    for (Field field : Settings.class.getFields()) {
      if (field.getType() == Setting.class && Modifier.isStatic(field.getModifiers())
          && !Pattern.compile("\\bSettings\\." + field.getName() + "\\b").matcher(code).find()) {
        unread.add(((Setting) field.get(null)).name() + " (Settings." + field.getName()
            + ") is registered but no role reads it: read it in the role's config or remove it");
      }
    }
    assertTrue(unread.isEmpty(), String.join("\n", unread));
  }

  /** What to do about a literal or unknown name, spelled out for whoever merges a new setting. */
  private static String fix(String name) {
    String constant = name.substring("RELAY_".length());
    if (Settings.byName(name).isPresent()) {
      return "use Settings." + constant + " (or its .name()) instead of the literal.";
    }
    return "declare it once in " + SettingsDocs.REGISTRY + " with one line, e.g. "
        + "public static final Setting " + constant + " = add(Setting.integer(\"" + name
        + "\", <default>, <min>, <max>, \"<one-line doc>\", <readers>)); read it in the role's "
        + "config as source.longValue(Settings." + constant + "), then regenerate README.md and "
        + "k8s/validate/known-env.txt: " + SettingsDocs.REGENERATE;
  }

  private static String where(Path file, int index) {
    return REPO.relativize(file) + ":" + (index + 1);
  }

  private static List<Path> javaFiles(List<String> modules) {
    List<Path> files = new ArrayList<>();
    for (String module : modules) {
      files.addAll(tree(REPO.resolve(module).resolve("src/main/java"), ".java"));
    }
    return files;
  }

  private static List<Path> tree(Path root, String suffix) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !p.toString().contains("node_modules")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
