package dev.chatrelay.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Worker's reply to {@link JobDispatch}: the address to send a {@link JobCancel} to. */
public record JobTaken(String worker) implements BusRecord {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("worker", worker);
    return json;
  }

  public static JobTaken fromJson(JsonObject json) {
    return new JobTaken(
        json.getString("worker"));
  }
}
