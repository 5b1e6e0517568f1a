package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and the code agree: every variable the manifests may set is one the
 * code reads, ports named by variables are the container ports, and probe paths are served.
 * (scripts/validate-k8s.sh checks the manifests against the schemas; this checks them against us.)
 */
class ManifestConsistencyTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern QUOTED_VARIABLE = Pattern.compile("\"(RELAY_[A-Z0-9_]+)\"");
  private static final Pattern ENV_PAIR =
      Pattern.compile("- name: (RELAY_[A-Z0-9_]+)\\s*\\n\\s*value: \"?(\\d+)\"?");
  private static final Pattern PROBE_PATH = Pattern.compile("\\n\\s+path: (/\\S+)");

  @Test
  void everyVariableTheManifestsMaySetIsReadByTheCode() {
    Set<String> read = variablesReadByCode();
    Set<String> unknown = new TreeSet<>();
    for (String line : lines(REPO.resolve("k8s/validate/known-env.txt"))) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#") && !read.contains(name)) {
        unknown.add(name);
      }
    }
    assertTrue(unknown.isEmpty(), "set in k8s/ but read nowhere in the code: " + unknown);
  }

  @Test
  void portVariablesAreTheContainerPortsAndProbesHitServedPaths() {
    String gatewayRouter = read(REPO.resolve(
        "gateway-verticle/src/main/java/dev/chatrelay/gateway/http/GatewayRouter.java"));
    String healthServer = read(REPO.resolve(
        "launcher/src/main/java/dev/chatrelay/launcher/HealthServer.java"));
    for (String role : List.of("gateway", "relay", "worker")) {
      String manifest = read(REPO.resolve("k8s/app/" + role + ".yaml"));
      // Every role's probes and /metrics are on the internal listener (HealthServer).
      String port = envValue(manifest, "RELAY_ADMIN_PORT");
      assertTrue(manifest.contains("containerPort: " + port),
          role + ": RELAY_ADMIN_PORT=" + port + " is not a container port");
      if (role.equals("gateway")) {
        String http = envValue(manifest, "RELAY_HTTP_PORT");
        assertTrue(manifest.contains("containerPort: " + http), "gateway: RELAY_HTTP_PORT");
        assertTrue(gatewayRouter.contains("\"/healthz\""), "the public port answers probes too");
      }
      Matcher probes = PROBE_PATH.matcher(manifest);
      int count = 0;
      while (probes.find()) {
        String path = probes.group(1);
        if (path.equals("/metrics")) {
          continue;
        }
        count++;
        assertTrue(Set.of("/healthz", "/readyz").contains(path), role + " probes " + path);
        assertTrue(healthServer.contains("\"" + path + "\""), role + ": nothing serves " + path);
      }
      assertTrue(count >= 2, role + " has liveness and readiness probes");
    }
    String shared = read(REPO.resolve("k8s/app/shared.env"));
    assertEquals(String.valueOf(ClusterConfig.DEFAULT_PORT),
        sharedValue(shared, "RELAY_CLUSTER_PORT"), "Hazelcast port in shared.env");
    assertFalse(sharedValue(shared, "RELAY_EVENTBUS_PORT").equals("0"),
        "Kubernetes needs a fixed event-bus port for the NetworkPolicy");
  }

  private static String envValue(String manifest, String name) {
    Matcher m = ENV_PAIR.matcher(manifest);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new AssertionError(name + " not set with a literal value");
  }

  private static String sharedValue(String env, String name) {
    return lines(env).stream().filter(l -> l.startsWith(name + "="))
        .map(l -> l.substring(name.length() + 1).strip()).findFirst()
        .orElseThrow(() -> new AssertionError(name + " missing in shared.env"));
  }

  private static Set<String> variablesReadByCode() {
    Set<String> names = new TreeSet<>();
    for (String module : List.of("shared-protocol", "gateway-verticle", "relay-verticle",
        "worker-verticle", "launcher")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
          Matcher m = QUOTED_VARIABLE.matcher(read(p));
          while (m.find()) {
            names.add(m.group(1));
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  private static List<String> lines(Path file) {
    return lines(read(file));
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
