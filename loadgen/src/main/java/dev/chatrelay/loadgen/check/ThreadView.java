package dev.chatrelay.loadgen.check;

import dev.chatrelay.loadgen.client.ServerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One client's view of one thread, across any number of connections: the cursor (last processed
 * seq), the epoch, the reply structure, the sends this client made, and fingerprints of the
 * recent frames for the final comparison with the history API. Every frame is checked against
 * PROTOCOL.md: contiguous seq from the cursor, no duplicate, one epoch, reply structure; a
 * {@code compacted} notice counts for the seqs it names.
 *
 * <p>Confined to the event loop of the connection that currently carries it; the fields other
 * threads poll (cursor, subscription, quiescence) are volatile.
 */
public final class ThreadView {

  /** A send this client made on the thread, until its {@code accepted} and its user_message are seen. */
  private static final class OwnSend {
    long acceptedSeq = -1;
    long frameSeq = -1;
  }

  private final String where;
  private final String thread;
  private final Violations violations;
  private final FingerprintRing ring;
  private final ReplyTracker replies = new ReplyTracker();
  private final Map<String, OwnSend> ownSends = new LinkedHashMap<>();
  private Consumer<String> onReplyCompleted = id -> { };
  private volatile long lastSeq;
  private volatile String epoch;
  private volatile boolean subscribed;
  private volatile boolean quiescent = true;
  private volatile int unaccepted;

  /** {@code window}: how many recent frames are kept for the history comparison. */
  public ThreadView(String where, String thread, int window, Violations violations) {
    this.where = where;
    this.thread = thread;
    this.violations = violations;
    this.ring = new FingerprintRing(window);
  }

  public String thread() {
    return thread;
  }

  public String where() {
    return where;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public String epoch() {
    return epoch;
  }

  public boolean subscribed() {
    return subscribed;
  }

  /** Subscribed, nothing queued or streaming, and every send accepted. */
  public boolean quiescent() {
    return quiescent && unaccepted == 0;
  }

  public long repliesCompleted() {
    return replies.completed();
  }

  /** Called with the send id whenever a reply to any send of this thread completes. */
  public void onReplyCompleted(Consumer<String> listener) {
    this.onReplyCompleted = Objects.requireNonNull(listener);
  }

  /** {@code subscribed} answered a subscribe or resume entry whose cursor was {@code after}. */
  public void onSubscribed(ServerMessage m, long after) {
    if (m.epoch == null || m.epoch.isEmpty()) {
      violations.add(where, "subscribed without epoch");
    } else if (epoch != null && !epoch.equals(m.epoch)) {
      violations.add(where, "epoch changed from " + epoch + " to " + m.epoch + " without reset");
    }
    if (m.head < after) {
      violations.add(where, "subscribed head " + m.head + " below the cursor " + after);
    }
    epoch = m.epoch;
    subscribed = true;
  }

  /** None of the scenarios can be reset legitimately: every reset is a violation. */
  public void onReset(ServerMessage m) {
    violations.add(where, "reset reason=" + m.reason + " head=" + m.head + " at cursor " + lastSeq);
    subscribed = false;
  }

  public void onDisconnected() {
    subscribed = false;
  }

  /**
   * Checks one frame of this thread. Returns true when it is the next frame (processed), false
   * when it was dropped as a duplicate or refused; every refusal is recorded as a violation.
   */
  public boolean onFrame(ServerMessage f) {
    if (!subscribed) {
      violations.add(where, "frame while not subscribed: " + f.describe());
      return false;
    }
    if (epoch != null && !epoch.equals(f.epoch)) {
      violations.add(where, "frame epoch " + f.epoch + " differs from subscribed " + epoch + ": " + f.describe());
    }
    long last = lastSeq;
    long fingerprint = FrameFingerprint.of(f);
    if (f.seq <= last) {
      boolean same = ring.holds(f.seq, last) && ring.get(f.seq) == fingerprint;
      violations.add(where, (same ? "duplicate" : "out of order") + " seq " + f.seq + " after " + last
          + ": " + f.describe());
      return false;
    }
    if (f.seq != last + 1) {
      violations.add(where, "gap: expected seq " + (last + 1) + ", got " + f.describe());
    }
    String wrong = replies.accept(f);
    if (wrong != null) {
      violations.add(where, "structure at seq " + f.seq + ": " + wrong);
    }
    if ("user_message".equals(f.kind)) {
      checkOwnUserMessage(f);
    }
    ring.put(f.seq, fingerprint);
    lastSeq = f.seq;
    quiescent = replies.quiescent();
    if (wrong == null && "typing".equals(f.kind) && Boolean.FALSE.equals(f.on)) {
      onReplyCompleted.accept(replies.lastCompleted());
    }
    return true;
  }

  /**
   * Checks a {@code compacted} notice: it must start right after the cursor (or overlap what was
   * processed, after a replay) and stand for seqs the cursor has not passed. Returns true when it
   * moved the cursor; a refusal is recorded as a violation.
   */
  public boolean onCompacted(ServerMessage m) {
    if (!subscribed) {
      violations.add(where, "compacted while not subscribed: " + m.from + ".." + m.to);
      return false;
    }
    if (epoch != null && !epoch.equals(m.epoch)) {
      violations.add(where, "compacted epoch " + m.epoch + " differs from subscribed " + epoch);
    }
    long last = lastSeq;
    if (m.from < 1 || m.to < m.from) {
      violations.add(where, "compacted with a bad range " + m.from + ".." + m.to);
      return false;
    }
    if (m.to <= last) {
      violations.add(where, "duplicate compacted " + m.from + ".." + m.to + " after " + last);
      return false;
    }
    if (m.from > last + 1) {
      violations.add(where, "gap: expected seq " + (last + 1) + ", got compacted " + m.from + ".." + m.to);
    }
    String done = replies.compacted();
    lastSeq = m.to;
    quiescent = replies.quiescent();
    if (done != null) {
      onReplyCompleted.accept(done);
    }
    return true;
  }

  /** This client sent {@code id} on the thread (again, after a reconnect, is fine). */
  public void onSent(String id) {
    if (!ownSends.containsKey(id)) {
      ownSends.put(id, new OwnSend());
      unaccepted++;
    }
  }

  public void onAccepted(ServerMessage m) {
    OwnSend s = ownSends.get(m.id);
    if (s == null) {
      violations.add(where, "accepted for a send id not outstanding: " + m.id + " seq " + m.seq);
      return;
    }
    if (s.acceptedSeq >= 0) {
      if (s.acceptedSeq != m.seq) {
        violations.add(where, "send " + m.id + " accepted twice with seq " + s.acceptedSeq + " and " + m.seq);
      }
      return;
    }
    s.acceptedSeq = m.seq;
    unaccepted--;
    checkOwnSend(m.id, s);
  }

  /** Ids sent but not yet accepted (to send again, same id, after a reconnect). */
  public List<String> unacceptedSends() {
    List<String> ids = new ArrayList<>();
    ownSends.forEach((id, s) -> {
      if (s.acceptedSeq < 0) {
        ids.add(id);
      }
    });
    return ids;
  }

  /**
   * Compares this view with the history API at the end of a run; returns the number of frames
   * the history holds that this view never processed (lost).
   */
  public long compareWith(HistorySnapshot h) {
    long last = lastSeq;
    if (h.epoch() != null && epoch != null && !h.epoch().equals(epoch)) {
      violations.add(where, "history epoch " + h.epoch() + " differs from " + epoch);
    }
    if (h.head() != last) {
      violations.add(where, "history head " + h.head() + " but this view processed up to " + last);
    }
    long[] seqs = h.seqs();
    long mismatched = 0;
    for (int i = 0; i < seqs.length; i++) {
      // A gap in the history is a compacted run (PROTOCOL.md, Compaction); order must hold.
      if (i > 0 && seqs[i] <= seqs[i - 1]) {
        violations.add(where, "history out of order at seq " + seqs[i - 1] + ", " + seqs[i]);
      }
      if (ring.holds(seqs[i], last) && ring.get(seqs[i]) != h.fingerprints()[i]) {
        mismatched++;
        violations.add(where, "frame seq " + seqs[i] + " differs from the history copy");
      }
    }
    if (seqs.length > 0 && seqs[seqs.length - 1] != h.head()) {
      violations.add(where, "history ends at seq " + seqs[seqs.length - 1] + " but head is " + h.head());
    }
    return Math.max(0, h.head() - last) + mismatched;
  }

  private void checkOwnUserMessage(ServerMessage f) {
    OwnSend s = ownSends.get(f.id);
    if (s == null) {
      return;
    }
    if (s.frameSeq >= 0) {
      violations.add(where, "second user_message for send " + f.id + " at seq " + f.seq);
      return;
    }
    s.frameSeq = f.seq;
    checkOwnSend(f.id, s);
  }

  /** Once both the accepted and the user_message are seen they must agree; the entry is then done. */
  private void checkOwnSend(String id, OwnSend s) {
    if (s.acceptedSeq < 0 || s.frameSeq < 0) {
      return;
    }
    if (s.acceptedSeq != s.frameSeq) {
      violations.add(where, "send " + id + " accepted with seq " + s.acceptedSeq
          + " but its user_message has seq " + s.frameSeq);
    }
    ownSends.remove(id);
  }
}
