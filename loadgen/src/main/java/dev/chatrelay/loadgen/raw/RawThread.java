package dev.chatrelay.loadgen.raw;

import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.protocol.reply.ReplyShape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One user-scoped thread of the raw push server, in memory: the last {@code retention} frames as
 * wire text, the send ids, and the live subscribers. All methods hold the thread's lock, and every
 * write to a subscriber happens under it, so each socket gets the thread's frames in seq order.
 */
final class RawThread {

  /** What the server writes to one subscriber socket. */
  interface Subscriber {
    void write(String text);
  }

  private final String thread;
  private final String epoch;
  private final int retention;
  private final FrameDrop drop;
  private final ArrayDeque<String> frames = new ArrayDeque<>();
  private final Map<String, Long> sendSeqs = new HashMap<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private long head;
  private long lastUsedMillis = System.currentTimeMillis();

  RawThread(String thread, String epoch, int retention, FrameDrop drop) {
    this.thread = thread;
    this.epoch = epoch;
    this.retention = retention;
    this.drop = drop;
  }

  /** Answers a subscribe (or resume entry): reset, or subscribed then the frames after the cursor. */
  synchronized void subscribe(Subscriber s, String clientEpoch, long after) {
    lastUsedMillis = System.currentTimeMillis();
    subscribers.remove(s);
    long oldest = head - frames.size() + 1;
    if (clientEpoch != null && !clientEpoch.equals(epoch)) {
      s.write(RawFrames.reset(thread, epoch, head, "epoch"));
      return;
    }
    if (after > head) {
      s.write(RawFrames.reset(thread, epoch, head, "ahead"));
      return;
    }
    if (after >= 0 && after < oldest - 1) {
      s.write(RawFrames.reset(thread, epoch, head, "retention"));
      return;
    }
    s.write(RawFrames.subscribed(thread, epoch, head));
    if (after >= 0) {
      long seq = oldest;
      for (String wire : frames) {
        if (seq++ > after) {
          s.write(wire);
        }
      }
    }
    subscribers.add(s);
  }

  synchronized void unsubscribe(Subscriber s) {
    lastUsedMillis = System.currentTimeMillis();
    subscribers.remove(s);
  }

  /** No subscriber and unused for {@code idleMillis}: the server may forget the thread. */
  synchronized boolean idle(long nowMillis, long idleMillis) {
    return subscribers.isEmpty() && nowMillis - lastUsedMillis > idleMillis;
  }

  /**
   * A send: answers {@code accepted} to {@code from}, and on the first time an id is seen
   * appends the user message and the whole scripted reply ({@link ReplyShape}) at once (no
   * journal, no delay).
   */
  synchronized void send(Subscriber from, String id, String text, int chunks) {
    lastUsedMillis = System.currentTimeMillis();
    Long known = sendSeqs.get(id);
    if (known != null) {
      from.write(RawFrames.accepted(id, thread, known));
      return;
    }
    long seq = head + 1;
    sendSeqs.put(id, seq);
    from.write(RawFrames.accepted(id, thread, seq));
    append(id, "user_message", null, RawFrames.textData(text));
    List<ReplyFrame> reply = text.startsWith("/fail")
        ? ReplyShape.errorEnding(0, "engine_error", "scripted failure")
        : ReplyShape.completed(ScriptedReply.chunks("echo: " + text, chunks));
    for (ReplyFrame f : reply) {
      append(id + ":" + f.index(), f.kind().wire(), id, f.data().encode());
    }
  }

  /** A history page: frames with seq > after, at most {@code limit}, as the API's JSON. */
  synchronized String page(long after, int limit) {
    lastUsedMillis = System.currentTimeMillis();
    StringBuilder b = new StringBuilder(256).append("{\"thread\":");
    RawFrames.quote(b, thread).append(",\"epoch\":");
    RawFrames.quote(b, epoch).append(",\"head\":").append(head).append(",\"frames\":[");
    long seq = head - frames.size() + 1;
    int n = 0;
    Iterator<String> it = frames.iterator();
    while (it.hasNext() && n < limit) {
      String wire = it.next();
      if (seq++ > after) {
        b.append(n++ == 0 ? "" : ",").append(wire);
      }
    }
    return b.append("]}").toString();
  }

  private void append(String id, String kind, String replyTo, String data) {
    long seq = ++head;
    String wire = RawFrames.frame(thread, epoch, seq, id, kind, System.currentTimeMillis(), replyTo, data);
    frames.addLast(wire);
    if (frames.size() > retention) {
      frames.removeFirst();
    }
    for (int i = 0; i < subscribers.size(); i++) {
      if (!drop.dropNow(seq)) {
        subscribers.get(i).write(wire);
      }
    }
  }
}
