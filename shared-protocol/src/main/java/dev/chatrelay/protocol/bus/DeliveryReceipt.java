package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;

/**
 * Gateway to relay (send): the gateway holds every frame of subscription {@code sid} up to
 * {@code received}, and the client acked up to {@code acked}. Sent when a delivery brought
 * frames the gateway already had (a resend): the relay stops resending what arrived, and takes
 * {@code acked} as an ack in case the client's last ack was lost on the way.
 */
public record DeliveryReceipt(ThreadKey key, String gateway, long conn, long sid, long received,
    long acked) implements BusRecord {

  /** Value of {@code op} that marks this message. */
  public static final String TAG = "received";

  public JsonObject toJson() {
    return new JsonObject()
        .put("op", TAG)
        .put("sub", key.sub()).put("thread", key.thread())
        .put("gateway", gateway)
        .put("conn", conn)
        .put("sid", sid)
        .put("received", received)
        .put("acked", acked);
  }

  public static DeliveryReceipt fromJson(JsonObject json) {
    return new DeliveryReceipt(
        new ThreadKey(json.getString("sub"), json.getString("thread")),
        json.getString("gateway"),
        json.getLong("conn", 0L),
        json.getLong("sid", 0L),
        json.getLong("received", 0L),
        json.getLong("acked", 0L));
  }
}
