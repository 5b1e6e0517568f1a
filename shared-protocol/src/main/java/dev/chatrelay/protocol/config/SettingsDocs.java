package dev.chatrelay.protocol.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the registry as the README's configuration table and as k8s/validate/known-env.txt.
 * Pure text in, text out; the launcher's {@code SettingsDocsMain} writes the files and a test
 * fails when they differ from what this renders.
 */
public final class SettingsDocs {

  public static final String BEGIN = "<!-- settings:begin -->";
  public static final String END = "<!-- settings:end -->";
  public static final String REGISTRY =
      "shared-protocol/src/main/java/dev/chatrelay/protocol/config/Settings.java";
  /** How to rewrite both generated files from the registry. */
  public static final String REGENERATE = "mvn -B -q -DskipTests package && "
      + "java -cp launcher/target/relay.jar dev.chatrelay.launcher.SettingsDocsMain .";

  private SettingsDocs() {}

  /** The markdown table, one row per setting in registry order (no markers). */
  public static String table(List<Setting> settings) {
    StringBuilder out = new StringBuilder();
    out.append("<!-- generated from ").append(REGISTRY).append("; regenerate: ")
        .append(REGENERATE).append(" -->\n");
    out.append("| variable | default | range | read by | meaning |\n");
    out.append("| --- | --- | --- | --- | --- |\n");
    for (Setting s : settings) {
      out.append("| `").append(s.name()).append("` | ")
          .append(cell(shownDefault(s))).append(" | ")
          .append(s.bounds()).append(" | ")
          .append(s.readers().stream().sorted().map(Setting.Reader::wire)
              .collect(Collectors.joining(", "))).append(" | ")
          .append(s.secret() ? "**secret**: " : "").append(cell(s.doc())).append(" |\n");
    }
    return out.toString();
  }

  /** {@code readme} with the text between the markers replaced by {@link #table}. */
  public static String spliceReadme(String readme, List<Setting> settings) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("README.md has no " + BEGIN + " ... " + END + " block");
    }
    return readme.substring(0, begin + BEGIN.length()) + "\n" + table(settings)
        + readme.substring(end);
  }

  /** The k8s validator's list of names the manifests may set: every setting. */
  public static String knownEnv(List<Setting> settings) {
    StringBuilder out = new StringBuilder();
    out.append("# Every RELAY_* variable the manifests may set, one name per line (# starts a comment).\n");
    out.append("# scripts/validate-k8s.sh fails on a RELAY_* name in k8s/ that is missing here.\n");
    out.append("# Generated from ").append(REGISTRY).append(": do not edit; regenerate with\n");
    out.append("#   ").append(REGENERATE).append('\n');
    for (Setting s : settings) {
      out.append(s.name()).append('\n');
    }
    return out.toString();
  }

  /** Text defaults as code ({@code `cr:`}); numbers and explanations as they are. */
  private static String shownDefault(Setting s) {
    boolean literal = s.type() == Setting.Type.TEXT && s.fallback() != null
        && s.shown().equals(s.fallback());
    return literal ? "`" + s.shown() + "`" : s.shown();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
