package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Reads an event-bus body that is either a {@link BusRecord} or its JSON form. */
public final class BusBodies {

  private BusBodies() {}

  /**
   * The body as a {@code type}: itself when it is one (local delivery), else parsed from its
   * JSON form.
   *
   * @throws IllegalArgumentException when the body is neither
   */
  public static <T extends BusRecord> T as(Object body, Class<T> type,
      Function<JsonObject, T> fromJson) {
    if (type.isInstance(body)) {
      return type.cast(body);
    }
    if (body instanceof JsonObject json) {
      return fromJson.apply(json);
    }
    throw new IllegalArgumentException("expected " + type.getSimpleName()
        + " or its JSON form, got " + describe(body));
  }

  /** The body's JSON form: a record's {@link BusRecord#toJson()}, or the JSON object itself. */
  public static JsonObject json(Object body) {
    if (body instanceof BusRecord record) {
      return record.toJson();
    }
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new IllegalArgumentException("expected a bus record or a JSON object, got "
        + describe(body));
  }

  private static String describe(Object body) {
    return body == null ? "null" : body.getClass().getSimpleName();
  }
}
