package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.protocol.config.SettingsDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites the README's configuration table and k8s/validate/known-env.txt from the settings
 * registry: {@code java -cp launcher/target/relay.jar dev.chatrelay.launcher.SettingsDocsMain .}
 * (argument: the repository root). SettingsDocsTest fails when they are out of date.
 */
public final class SettingsDocsMain {

  static final String README = "README.md";
  static final String KNOWN_ENV = "k8s/validate/known-env.txt";

  private SettingsDocsMain() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    Path readme = root.resolve(README);
    String current = Files.readString(readme, StandardCharsets.UTF_8);
    Files.writeString(readme, SettingsDocs.spliceReadme(current, Settings.all()),
        StandardCharsets.UTF_8);
    Files.writeString(root.resolve(KNOWN_ENV), SettingsDocs.knownEnv(Settings.all()),
        StandardCharsets.UTF_8);
    System.out.println("event=settings.docs_written settings=" + Settings.all().size()
        + " files=" + README + "," + KNOWN_ENV);
  }
}
