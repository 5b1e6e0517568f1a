package dev.chatrelay.relay.journal;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames as stream entries: id {@code <seq>-0}, fields {@code k} (idempotency key), {@code t}
 * (ts, epoch ms) and {@code b} (body JSON: id, kind, replyTo, data). Thread and epoch are not
 * stored per entry: the thread is the key, the epoch lives in the thread's meta hash.
 */
final class RedisFrames {

  static final String FIELD_KEY = "k";
  static final String FIELD_TS = "t";
  static final String FIELD_BODY = "b";

  private RedisFrames() {}

  /** The {@code b} field of a new frame. */
  static String body(FrameDraft draft) {
    JsonObject body = new JsonObject().put("id", draft.id()).put("kind", draft.kind().wire());
    if (draft.replyTo() != null) {
      body.put("replyTo", draft.replyTo());
    }
    return body.put("data", draft.data()).encode();
  }

  /** The retention class the scripts take: {@code c} conversation, {@code e} ending, {@code t} token. */
  static String retentionClass(FrameDraft draft) {
    if (!Compaction.conversation(draft.kind())) {
      return "t";
    }
    return Compaction.ending(draft.kind()) ? "e" : "c";
  }

  /** The seq of stream id {@code <seq>-0}. */
  static long seqOf(String streamId) {
    int dash = streamId.indexOf('-');
    return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
  }

  /** Entries as XRANGE answers them: {@code [[id, fields], ...]}. */
  static List<Frame> frames(Response entries, String thread, String epoch) {
    List<Frame> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      out.add(frame(entries.get(i), thread, epoch));
    }
    return out;
  }

  /** One entry {@code [id, fields]}; fields as a flat array or (RESP3) as a map. */
  static Frame frame(Response entry, String thread, String epoch) {
    long seq = seqOf(entry.get(0).toString());
    Response fields = entry.get(1);
    String ts = field(fields, FIELD_TS);
    String bodyText = field(fields, FIELD_BODY);
    if (ts == null || bodyText == null) {
      throw new IllegalStateException("stream entry " + entry.get(0) + " lacks t or b");
    }
    JsonObject body = new JsonObject(bodyText);
    return new Frame(thread, epoch, seq, body.getString("id"),
        FrameKind.fromWire(body.getString("kind")), Long.parseLong(ts), body.getString("replyTo"),
        body.getJsonObject("data"));
  }

  private static String field(Response fields, String name) {
    if (fields.isMap()) {
      Response v = fields.get(name);
      return v == null ? null : v.toString();
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    return null;
  }
}
