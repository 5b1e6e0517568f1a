package dev.chatrelay.protocol.log;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code toString} of a record that holds secrets: like the default one, but each component
 * named secret prints as {@code set} or {@code unset}. Written by reflection, so a component
 * added later is printed (and must be named here if it is secret) without editing a hand-made list.
 */
public final class RecordText {

  private RecordText() {}

  /** {@code record}'s text with the components named in {@code secrets} hidden. */
  public static String withSecrets(Record record, String... secrets) {
    return withSecrets(record, Set.of(secrets), UnaryOperator.identity());
  }

  /**
   * {@code record}'s text with the components named in {@code secrets} hidden and each shown
   * value passed through {@code shown} (e.g. to redact the password of a URL).
   */
  public static String withSecrets(Record record, Set<String> secrets, UnaryOperator<Object> shown) {
    StringBuilder out = new StringBuilder(record.getClass().getSimpleName()).append('[');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      Object value = read(record, c);
      out.append(i == 0 ? "" : ", ").append(c.getName()).append('=');
      if (secrets.contains(c.getName())) {
        out.append(value == null ? "unset" : "set");
      } else {
        out.append(shown.apply(value));
      }
    }
    return out.append(']').toString();
  }

  private static Object read(Record record, RecordComponent component) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      return "?";
    }
  }
}
