package dev.chatrelay.loadgen.raw;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** One WebSocket of the raw push server: just enough of the protocol for the driver's scenarios. */
final class RawSession implements RawThread.Subscriber {

  /** Heartbeat announced in {@code welcome} (ms); this server never pings. */
  static final long HEARTBEAT_MS = 25_000;
  /** Close codes of PROTOCOL.md that this server uses. */
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_PROTOCOL = 4500;

  private final RawPushServer server;
  private final ServerWebSocket ws;
  private final String headerToken;
  private final Set<RawThread> threads = new HashSet<>();
  private String sub;

  RawSession(RawPushServer server, ServerWebSocket ws, String headerToken) {
    this.server = server;
    this.ws = ws;
    this.headerToken = headerToken;
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> ws.close(CLOSE_PROTOCOL, "binary"));
    ws.closeHandler(v -> threads.forEach(t -> t.unsubscribe(this)));
  }

  @Override
  public void write(String text) {
    ws.writeTextMessage(text);
  }

  private void onText(String text) {
    JsonObject m;
    try {
      m = new JsonObject(text);
    } catch (DecodeException e) {
      ws.close(CLOSE_PROTOCOL, "not a JSON object");
      return;
    }
    String type = m.getValue("type") instanceof String s ? s : null;
    if (type == null || (sub == null && !"hello".equals(type))) {
      ws.close(CLOSE_PROTOCOL, "hello first");
      return;
    }
    switch (type) {
      case "hello" -> hello(m);
      case "subscribe" -> subscribe(m.getString("thread"), m.getString("epoch"), m.getLong("after", -1L));
      case "unsubscribe" -> unsubscribe(m.getString("thread"));
      case "send" -> send(m);
      case "ping" -> write("{\"type\":\"pong\"}");
      case "ack", "pong" -> { } // no window here: acks are not needed
      default -> write(RawFrames.error("bad_request", "unsupported by the raw push server: " + type, null));
    }
  }

  private void hello(JsonObject m) {
    if (sub != null) {
      write(RawFrames.error("bad_request", "second hello", null));
      return;
    }
    String token = m.getString("token", headerToken);
    RawAuth.Claims claims = token == null ? null : server.auth().check(token);
    if (claims == null) {
      ws.close(CLOSE_UNAUTHORIZED, "token missing or invalid");
      return;
    }
    sub = claims.sub();
    write("{\"type\":\"welcome\",\"session\":\"" + UUID.randomUUID() + "\",\"heartbeat\":" + HEARTBEAT_MS
        + ",\"exp\":" + claims.exp() + "}");
    JsonArray resume = m.getJsonArray("resume");
    if (resume != null) {
      for (Object o : resume) {
        JsonObject r = (JsonObject) o;
        subscribe(r.getString("thread"), r.getString("epoch"), r.getLong("after", 0L));
      }
    }
  }

  private void subscribe(String thread, String epoch, long after) {
    if (!RawPushServer.validThread(thread)) {
      write(RawFrames.error("bad_request", "invalid thread", thread));
      return;
    }
    RawThread t = server.thread(sub, thread);
    threads.add(t);
    t.subscribe(this, epoch, after);
  }

  private void unsubscribe(String thread) {
    if (RawPushServer.validThread(thread)) {
      RawThread t = server.thread(sub, thread);
      t.unsubscribe(this);
      threads.remove(t);
    }
    write("{\"type\":\"unsubscribed\",\"thread\":" + RawFrames.quote(new StringBuilder(), String.valueOf(thread)) + "}");
  }

  private void send(JsonObject m) {
    String thread = m.getString("thread");
    String id = m.getString("id");
    String text = m.getString("text");
    if (!RawPushServer.validThread(thread) || id == null || text == null || text.isEmpty()) {
      write(RawFrames.error("bad_request", "send needs thread, id and text", id));
      return;
    }
    server.thread(sub, thread).send(this, id, text, server.chunks());
  }
}
