package dev.chatrelay.protocol.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The event-bus codec of one {@link BusRecord} type. A local delivery passes the record itself
 * (the default {@code JsonObject} codec deep-copies every message instead, and each hop then
 * re-reads it field by field: JFR showed both on the frame hot path). A clustered send writes
 * the record's JSON form, length-prefixed, so the wire format between processes is the
 * documented JSON of docs/ARCHITECTURE.md.
 */
public final class BusCodec<T extends BusRecord> implements MessageCodec<T, T> {

  /** Prefix of every codec name; the name travels with each clustered message. */
  static final String NAME_PREFIX = "chatrelay.";

  private final String name;
  private final Function<JsonObject, T> fromJson;

  BusCodec(Class<T> type, Function<JsonObject, T> fromJson) {
    this.name = NAME_PREFIX + type.getSimpleName();
    this.fromJson = fromJson;
  }

  @Override
  public void encodeToWire(Buffer buffer, T record) {
    Buffer json = record.toJson().toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + Integer.BYTES;
    return fromJson.apply(new JsonObject(buffer.slice(start, start + length)));
  }

  /** The same instance: records are immutable, so sharing one within the JVM is safe. */
  @Override
  public T transform(T record) {
    return record;
  }

  @Override
  public String name() {
    return name;
  }

  /** Not a Vert.x system codec. */
  @Override
  public byte systemCodecID() {
    return -1;
  }
}
