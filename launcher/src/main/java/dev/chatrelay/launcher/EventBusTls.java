package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Mutual TLS on the clustered event bus ({@code RELAY_EVENTBUS_TLS*}): every node serves and
 * connects with a certificate signed by one CA and refuses peers without one, so a process that
 * joins Hazelcast but holds no certificate can neither receive nor inject event-bus frames.
 * Hazelcast's own member protocol stays unauthenticated (open-source edition): docs/SECURITY.md.
 *
 * @param mode {@code auto}: TLS when the files are set, else plaintext with a warning;
 *     {@code required}: refuse to start without them; {@code off}: plaintext
 * @param cert PEM certificate chain of this node, null when TLS is off
 * @param key PEM private key of {@code cert} (PKCS#8 or PKCS#1)
 * @param ca PEM CA certificate(s) a peer's certificate must chain to
 */
public record EventBusTls(Mode mode, String cert, String key, String ca) {

  /** How the cluster's event bus is protected. */
  public enum Mode { AUTO, REQUIRED, OFF }

  public static final String MODE = Settings.EVENTBUS_TLS.name();
  public static final String CERT = Settings.EVENTBUS_TLS_CERT.name();
  public static final String KEY = Settings.EVENTBUS_TLS_KEY.name();
  public static final String CA = Settings.EVENTBUS_TLS_CA.name();

  /** TLS when certificate files are configured; plaintext (warned) otherwise (the registry's default). */
  public static final Mode DEFAULT_MODE = parseMode(Settings.EVENTBUS_TLS.fallback());

  /** True when the event bus runs TLS with client certificates. */
  public boolean enabled() {
    return cert != null;
  }

  public static EventBusTls from(ConfigSource source) {
    Mode mode = parseMode(source.string(Settings.EVENTBUS_TLS));
    String cert = source.raw(Settings.EVENTBUS_TLS_CERT);
    String key = source.raw(Settings.EVENTBUS_TLS_KEY);
    String ca = source.raw(Settings.EVENTBUS_TLS_CA);
    if (mode == Mode.OFF) {
      return new EventBusTls(mode, null, null, null);
    }
    if (cert == null && key == null && ca == null) {
      if (mode == Mode.REQUIRED) {
        throw new InvalidConfigException(MODE + "=required needs " + CERT + ", " + KEY
            + " and " + CA);
      }
      return new EventBusTls(mode, null, null, null);
    }
    return new EventBusTls(mode, readable(CERT, cert), readable(KEY, key), readable(CA, ca));
  }

  /** Puts TLS with required client certificates on {@code options} when enabled. */
  public EventBusOptions applyTo(EventBusOptions options) {
    if (!enabled()) {
      return options;
    }
    // Peers are checked against the CA only: the event bus dials pod IPs, never host names.
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key))
        .setTrustOptions(new PemTrustOptions().addCertPath(ca))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private static Mode parseMode(String value) {
    if (value == null) {
      return DEFAULT_MODE;
    }
    try {
      return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(MODE, value, "auto, required or off");
    }
  }

  /** The path when set and readable; all three files are needed together. */
  private static String readable(String name, String path) {
    if (path == null || path.isBlank()) {
      throw new InvalidConfigException(name + " is needed with the other " + MODE
          + "_* files (" + CERT + ", " + KEY + ", " + CA + ")");
    }
    if (!Files.isReadable(Path.of(path.trim()))) {
      throw new InvalidConfigException(name, path, "a readable PEM file");
    }
    return path.trim();
  }
}
