package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RELAY_EVENTBUS_TLS*: parsing, the refusals at start, and the options it produces. */
class EventBusTlsConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> files() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String[] f : new String[][] {{EventBusTls.CERT, "tls.crt"}, {EventBusTls.KEY, "tls.key"},
        {EventBusTls.CA, "ca.crt"}}) {
      Path file = dir.resolve(f[1]);
      Files.writeString(file, "pem");
      env.put(f[0], file.toString());
    }
    return env;
  }

  private static EventBusTls parse(Map<String, String> env) {
    return EventBusTls.from(ConfigSource.of(env));
  }

  @Test
  void withoutFilesTheDefaultIsPlaintextAuto() {
    EventBusTls tls = parse(Map.of());
    assertEquals(EventBusTls.Mode.AUTO, tls.mode());
    assertFalse(tls.enabled());
    EventBusOptions options = tls.applyTo(new EventBusOptions());
    assertFalse(options.isSsl());
  }

  @Test
  void theThreeFilesTurnOnMutualTls() throws IOException {
    Map<String, String> env = files();
    EventBusTls tls = parse(env);
    assertTrue(tls.enabled());
    EventBusOptions options = tls.applyTo(new EventBusOptions());
    assertTrue(options.isSsl());
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
    PemKeyCertOptions keyCert = (PemKeyCertOptions) options.getKeyCertOptions();
    assertEquals(env.get(EventBusTls.CERT), keyCert.getCertPath());
    assertEquals(env.get(EventBusTls.KEY), keyCert.getKeyPath());
    assertEquals(env.get(EventBusTls.CA),
        ((PemTrustOptions) options.getTrustOptions()).getCertPaths().get(0));
  }

  @Test
  void requiredWithoutFilesRefusesToStart() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> parse(Map.of(EventBusTls.MODE, "required")));
    assertTrue(e.getMessage().contains(EventBusTls.MODE), e.getMessage());
  }

  @Test
  void aMissingFileVariableIsNamed() throws IOException {
    Map<String, String> env = files();
    env.remove(EventBusTls.KEY);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(env));
    assertTrue(e.getMessage().contains(EventBusTls.KEY), e.getMessage());
  }

  @Test
  void anUnreadableFileIsNamed() throws IOException {
    Map<String, String> env = files();
    env.put(EventBusTls.CA, dir.resolve("absent.crt").toString());
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(env));
    assertTrue(e.getMessage().contains(EventBusTls.CA), e.getMessage());
  }

  @Test
  void offIgnoresTheFilesAndAnUnknownModeIsRefused() throws IOException {
    Map<String, String> env = files();
    env.put(EventBusTls.MODE, "off");
    assertFalse(parse(env).enabled());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> parse(Map.of(EventBusTls.MODE, "maybe")));
    assertTrue(e.getMessage().contains(EventBusTls.MODE), e.getMessage());
  }

  @Test
  void theClusterConfigCarriesIt() throws IOException {
    Map<String, String> env = files();
    env.put(ClusterConfig.MEMBERS, "127.0.0.1:5701");
    ClusterConfig cluster = ClusterConfig.from(ConfigSource.of(env));
    assertTrue(ClusterSetup.eventBusOptions(cluster).isSsl());
  }
}
