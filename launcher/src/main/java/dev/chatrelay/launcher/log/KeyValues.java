package dev.chatrelay.launcher.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code key=value} pairs of a log message such as
 * {@code event=job.taken job=j1 attempt=2 error=Connection is closed}: a value runs up to the
 * next {@code key=} that follows a space (so it may contain spaces), and a value in double
 * quotes loses them. Text before the first key (e.g. {@code READY http://...}) is no pair.
 */
final class KeyValues {

  private static final Pattern KEY = Pattern.compile("(?:^|(?<=\\s))([A-Za-z][A-Za-z0-9_.]*)=");

  private KeyValues() {}

  static Map<String, String> parse(String message) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (message == null) {
      return pairs;
    }
    Matcher m = KEY.matcher(message);
    String key = null;
    int valueStart = 0;
    while (m.find()) {
      if (key != null) {
        pairs.putIfAbsent(key, unquote(message.substring(valueStart, m.start()).strip()));
      }
      key = m.group(1);
      valueStart = m.end();
    }
    if (key != null) {
      pairs.putIfAbsent(key, unquote(message.substring(valueStart).strip()));
    }
    return pairs;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
