package dev.chatrelay.loadgen.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The driver only ever talks to this machine: any host outside 127.0.0.0/8, localhost, ::1 is refused. */
public final class LoopbackGuard {

  private LoopbackGuard() {
  }

  /** Returns the URI when its host is loopback; otherwise throws with a message naming the option. */
  public static URI requireLoopback(String option, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new IllegalArgumentException(option + ": not a URL: " + url);
    }
    String host = uri.getHost();
    if (host == null || !isLoopback(host)) {
      throw new IllegalArgumentException(option + ": refusing non-loopback host '" + host
          + "' (allowed: 127.0.0.0/8, localhost, ::1)");
    }
    return uri;
  }

  /** Literal loopback addresses and {@code localhost} only; no DNS lookup of other names. */
  public static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
