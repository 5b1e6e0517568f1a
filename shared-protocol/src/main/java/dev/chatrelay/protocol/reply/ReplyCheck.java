package dev.chatrelay.protocol.reply;

import dev.chatrelay.protocol.FrameKind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the frames of one reply, in seq order, against docs/PROTOCOL.md ("Frames of a reply"):
 * typing on, chunks with {@code index} 0, 1, 2 …, message (the chunks' text, unless cancelled),
 * typing off — or an error in place of the chunks and message (it may also follow chunks); a
 * {@code restart} voids the chunks so far, chunk indexes count from 0 again and its {@code
 * attempt} numbers the wordings 2, 3, …. The relay's own endings fit the same shape. After
 * {@link #compacted()} the reply is checked from the frames that remain. Each step returns null
 * when the frame fits, else what is wrong (and the state is left as it was).
 */
public final class ReplyCheck {

  /** Where the reply is: not begun, typing on seen, streaming chunks, ended, typing off seen. */
  public enum Phase { NONE, STARTED, CHUNKS, ENDED, DONE }

  private Phase phase = Phase.NONE;
  private long nextChunk;
  private final StringBuilder shown = new StringBuilder();
  /** The wording the chunks belong to (the first is 1). */
  private long wording = 1;
  /** Some of the reply's token frames were compacted: its chunks are not all known. */
  private boolean partial;
  /** A run just passed: the next chunk may skip indexes. */
  private boolean afterRun;
  /** The chunks' text seen before the run (the message must start with it). */
  private String before = "";

  public Phase phase() {
    return phase;
  }

  /** Typing off was seen: the reply is complete. */
  public boolean done() {
    return phase == Phase.DONE;
  }

  /** The text the chunks since the last restart show. */
  public String shown() {
    return shown.toString();
  }

  /** Checks one frame given as its kind and payload. */
  public String accept(FrameKind kind, JsonObject data) {
    if (data == null) {
      return kind.wire() + " without data";
    }
    return switch (kind) {
      case TYPING -> data.getValue("on") instanceof Boolean on ? typing(on)
          : "typing without data.on";
      case CHUNK -> data.getValue("index") instanceof Number n ? chunk(n.longValue(), data.getString("text"))
          : "chunk without data.index";
      case MESSAGE -> message(data.getString("text"), Boolean.TRUE.equals(data.getBoolean("cancelled")));
      case RESTART -> data.getValue("attempt") instanceof Number n ? restart(n.longValue())
          : "restart without data.attempt";
      case ERROR -> error(data.getString("code"));
      case USER_MESSAGE -> "user_message inside a reply";
    };
  }

  /** Checks a frame given as the wire JSON of a {@code frame} message ({@code kind}, {@code data}). */
  public String accept(JsonObject frame) {
    String kind = frame.getString("kind");
    try {
      return accept(FrameKind.fromWire(kind), frame.getJsonObject("data"));
    } catch (IllegalArgumentException e) {
      return "unknown frame kind '" + kind + "'";
    }
  }

  public String typing(boolean on) {
    if (on) {
      if (phase != Phase.NONE) {
        return "typing on in phase " + phase;
      }
      phase = Phase.STARTED;
      return null;
    }
    if (phase != Phase.ENDED) {
      return "typing off in phase " + phase;
    }
    phase = Phase.DONE;
    return null;
  }

  public String chunk(long index, String text) {
    String wrong = streaming("chunk");
    if (wrong != null) {
      return wrong;
    }
    long expected = afterRun && index >= nextChunk ? index : nextChunk; // compacted chunks before it
    if (index != expected) {
      return "chunk index " + index + ", expected " + expected;
    }
    if (text == null) {
      return "chunk without data.text";
    }
    afterRun = false;
    nextChunk = index + 1;
    shown.append(text);
    phase = Phase.CHUNKS;
    return null;
  }

  /** {@code attempt}: the wording that starts here; after a compacted run any later one fits. */
  public String restart(long attempt) {
    String wrong = streaming("restart");
    if (wrong != null) {
      return wrong;
    }
    if (partial ? attempt <= wording : attempt != wording + 1) {
      return "restart attempt " + attempt + " after wording " + wording;
    }
    wording = attempt;
    afterRun = false;
    nextChunk = 0;
    shown.setLength(0);
    phase = Phase.STARTED;
    return null;
  }

  public String message(String text, boolean cancelled) {
    String wrong = streaming("message");
    if (wrong != null) {
      return wrong;
    }
    if (text == null) {
      return "message without data.text";
    }
    if (!cancelled && !partial && !text.contentEquals(shown)) {
      return "message text differs from its chunks";
    }
    if (!cancelled && partial && !(text.startsWith(before) && text.endsWith(shown.toString()))) {
      return "message text does not fit the chunks seen around a compacted run";
    }
    partial = false;
    afterRun = false;
    phase = Phase.ENDED;
    return null;
  }

  public String error(String code) {
    String wrong = streaming("error");
    if (wrong != null) {
      return wrong;
    }
    if (code == null) {
      return "error frame without data.code";
    }
    afterRun = false;
    phase = Phase.ENDED;
    return null;
  }

  /**
   * Token frames of this reply before here were dropped by compaction (a {@code compacted}
   * notice): after it the reply may go on with any of its frames.
   */
  public void compacted() {
    if (!partial) {
      before = phase == Phase.CHUNKS ? shown.toString() : "";
    }
    shown.setLength(0);
    partial = true;
    afterRun = true;
  }

  /** Chunks, restarts, the message and errors come after typing on, before the ending. */
  private String streaming(String what) {
    if (phase == Phase.NONE && partial) {
      phase = Phase.STARTED; // the typing on was compacted
    }
    if (phase != Phase.STARTED && phase != Phase.CHUNKS) {
      return what + " in phase " + phase;
    }
    return null;
  }

  /**
   * Checks a whole reply (its frames as wire JSON, without the user message): every frame fits
   * and it ends with typing off. Returns what is wrong, empty when nothing.
   */
  public static List<String> violations(List<JsonObject> frames) {
    ReplyCheck check = new ReplyCheck();
    List<String> wrong = new ArrayList<>();
    for (JsonObject f : frames) {
      String w = check.accept(f);
      if (w != null) {
        wrong.add(w + " at " + f.encode());
      }
    }
    if (!check.done()) {
      wrong.add("the reply did not end with typing off (phase " + check.phase() + ")");
    }
    return wrong;
  }
}
