package dev.chatrelay.loadgen.client;

/**
 * One server message, parsed into plain fields. Mutable and reused per connection so the hot
 * path allocates only the strings it needs; absent numbers are -1, absent strings null.
 */
public final class ServerMessage {

  public String type;
  public String thread;
  public String epoch;
  public long seq;
  public String id;
  public String kind;
  public long ts;
  public String replyTo;
  public long head;
  public String reason;
  public String code;
  public String message;
  public String ref;
  public long exp;
  public long heartbeat;
  public String session;
  /** {@code from} and {@code to} of a {@code compacted} notice. */
  public long from;
  public long to;
  /** {@code data.text}. */
  public String text;
  /** {@code data.on}; null when absent. */
  public Boolean on;
  /** {@code data.index}. */
  public long index;
  /** {@code data.attempt} of a {@code restart}. */
  public long attempt;
  /** {@code data.cancelled}. */
  public boolean cancelled;
  /** {@code data.code}. */
  public String dataCode;
  /** {@code data.message}. */
  public String dataMessage;

  void clear() {
    type = thread = epoch = id = kind = replyTo = reason = code = message = ref = session = null;
    text = dataCode = dataMessage = null;
    on = null;
    seq = ts = head = exp = heartbeat = index = attempt = from = to = -1;
    cancelled = false;
  }

  public boolean isFrame() {
    return "frame".equals(type);
  }

  /** A short form for violation reports. */
  public String describe() {
    if (isFrame()) {
      return "frame{thread=" + thread + ", seq=" + seq + ", id=" + id + ", kind=" + kind
          + (replyTo == null ? "" : ", replyTo=" + replyTo)
          + (on == null ? "" : ", on=" + on) + (index < 0 ? "" : ", index=" + index) + "}";
    }
    return type + "{thread=" + thread + ", code=" + code + ", ref=" + ref + "}";
  }
}
