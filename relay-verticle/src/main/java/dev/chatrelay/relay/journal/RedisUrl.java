package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import dev.chatrelay.protocol.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * {@code RELAY_REDIS_URL}: {@code redis://[user][:password]@host[:port][/db]}, {@code rediss://}
 * for TLS, or {@code unix://path?password=...}. The user name and password are percent-encoded
 * in the URL ({@code /} as {@code %2F}, {@code @} as {@code %40}); logs only ever show
 * {@link #redacted} URLs.
 */
final class RedisUrl {

  static final String VARIABLE = Settings.REDIS_URL.name();
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("([?&](?i:password|pass|pwd)=)[^&#]*");

  private RedisUrl() {}

  /**
   * The URL without credentials, for logs: everything between {@code ://} and the last {@code @}
   * (a password may hold {@code /} or {@code @} even when it should not), and any password
   * query parameter, become {@code ***}.
   */
  static String redacted(String url) {
    if (url == null) {
      return null;
    }
    String out = url;
    int scheme = out.indexOf("://");
    int at = out.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      out = out.substring(0, scheme + 3) + "***" + out.substring(at);
    }
    return PASSWORD_PARAM.matcher(out).replaceAll("$1***");
  }

  /** True for {@code rediss://}: the connection runs TLS. */
  static boolean tls(String url) {
    return url.startsWith("rediss://");
  }

  /** Fails at start, naming the variable and never printing the password, on a URL Redis's client would misread. */
  static void validate(String url) {
    if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://")
        || url.startsWith("unix://"))) {
      throw new InvalidConfigException(VARIABLE + " must start with redis://, rediss:// or unix://");
    }
    if (url.startsWith("unix://")) {
      return;
    }
    String why = null;
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        why = "has no host";
      }
    } catch (URISyntaxException e) {
      why = "is not a URL";
    }
    if (why != null) {
      throw new InvalidConfigException(VARIABLE + " (" + redacted(url) + ") " + why
          + "; percent-encode / ? # @ % in the user name and password (/ as %2F, @ as %40)");
    }
  }
}
