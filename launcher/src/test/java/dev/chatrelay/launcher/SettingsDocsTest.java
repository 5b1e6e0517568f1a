package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import dev.chatrelay.protocol.config.Setting;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.protocol.config.SettingsDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table and k8s/validate/known-env.txt are exactly what the settings
 * registry renders; on a difference the message says which name to add where and how to
 * regenerate.
 */
class SettingsDocsTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern NAME = Pattern.compile("RELAY_[A-Z0-9_]*[A-Z0-9]");

  @Test
  void readmeTableIsTheRegistry() throws IOException {
    String readme = Files.readString(REPO.resolve(SettingsDocsMain.README));
    String block = readme.substring(Math.max(0, readme.indexOf(SettingsDocs.BEGIN)),
        Math.max(0, readme.indexOf(SettingsDocs.END)));
    String expected = SettingsDocs.spliceReadme(readme, Settings.all());
    if (!expected.equals(readme)) {
      fail(explain(SettingsDocsMain.README + "'s configuration table", names(block), expected,
          readme));
    }
  }

  @Test
  void knownEnvListIsTheRegistry() throws IOException {
    String known = Files.readString(REPO.resolve(SettingsDocsMain.KNOWN_ENV));
    String expected = SettingsDocs.knownEnv(Settings.all());
    if (!expected.equals(known)) {
      Set<String> listed = known.lines().map(l -> l.replaceAll("#.*", "").strip())
          .filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
      fail(explain(SettingsDocsMain.KNOWN_ENV, listed, expected, known));
    }
  }

  /** Which names are missing on either side, then the first differing line, then the fix. */
  private static String explain(String what, Set<String> documented, String expected,
      String actual) {
    Set<String> registered = Settings.all().stream().map(Setting::name)
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> lines = new ArrayList<>();
    lines.add(what + " differs from the settings registry (" + SettingsDocs.REGISTRY + ").");
    for (String name : documented) {
      if (!registered.contains(name)) {
        lines.add("  " + name + " is documented but not registered: add one line for it to "
            + SettingsDocs.REGISTRY + " (name, default, bounds, readers, doc), read it in the "
            + "role's config through Settings, then regenerate.");
      }
    }
    for (String name : registered) {
      if (!documented.contains(name)) {
        lines.add("  " + name + " is registered but missing here: regenerate.");
      }
    }
    lines.add("  first difference: " + firstDifference(expected, actual));
    lines.add("Regenerate from the repository root: " + SettingsDocs.REGENERATE);
    return String.join("\n", lines);
  }

  private static String firstDifference(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
      String x = i < e.size() ? e.get(i) : "<end>";
      String y = i < a.size() ? a.get(i) : "<end>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": expected [" + x + "] but found [" + y + "]";
      }
    }
    return "line endings";
  }

  private static Set<String> names(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
