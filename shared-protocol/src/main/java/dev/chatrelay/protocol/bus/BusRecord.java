package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/**
 * A message of the event-bus contract between the roles. Within one JVM it travels as itself
 * ({@link BusCodec#transform} hands the same instance over: no copy, no JSON); between processes
 * as its JSON form ({@link #toJson()}, read back by the record's {@code fromJson}). Receivers
 * accept either form ({@link BusBodies}), so a sender of plain JSON (a test, an older process)
 * still works.
 *
 * <p>Records are immutable values. A record holding a {@link JsonObject} (a frame's payload)
 * gives it to the receiver: the sender must not change it after sending.
 */
public interface BusRecord {

  /** The JSON form, the one that crosses process boundaries. */
  JsonObject toJson();
}
