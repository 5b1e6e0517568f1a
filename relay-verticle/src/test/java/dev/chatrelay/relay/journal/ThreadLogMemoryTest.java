package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.relay.RelayConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Heap of one thread's log with model-sized replies (400 one-character chunks, a 400-character
 * question, the reply echoing it) and the default retention: it grows with the conversation
 * frames until {@code RELAY_RETENTION_MESSAGES} of them are kept, then stays flat. Prints the
 * bytes (docs/ARCHITECTURE.md quotes them).
 */
class ThreadLogMemoryTest {

  private static final int CHUNKS = 400;

  @Test
  void memoryPerThreadIsBoundedByBothRetentions() {
    ThreadLog log = new ThreadLog("t1", "e1", RelayConfig.DEFAULT_RETENTION_FRAMES,
        RelayConfig.DEFAULT_RETENTION_MESSAGES);
    long at50 = 0;
    long at500 = 0;
    for (int turn = 1; turn <= 1000; turn++) {
      turn(log, turn);
      if (turn == 50) {
        at50 = log.heapBytes();
      } else if (turn == 500) {
        at500 = log.heapBytes();
      }
    }
    long at1000 = log.heapBytes();
    System.out.printf("event=memory.thread turns50=%d turns500=%d turns1000=%d retained=%d%n",
        at50, at500, at1000, log.read(0, Integer.MAX_VALUE).frames().size());
    // 1000 conversation frames and the newest 1000 seqs: the same once 500 turns are kept.
    assertEquals(at500, at1000, "flat once the conversation retention is full");
    assertTrue(at1000 < 4 * 1024 * 1024, "bytes per thread " + at1000);
    // The newest 1000 seqs (404 per turn) hold five conversation frames: users and messages of
    // the last two turns and the message of the one before.
    assertEquals(RelayConfig.DEFAULT_RETENTION_MESSAGES + RelayConfig.DEFAULT_RETENTION_FRAMES
        - 5, log.read(0, Integer.MAX_VALUE).frames().size(), "messages + newest frames");
  }

  private static void turn(ThreadLog log, int turn) {
    String send = "q" + turn;
    String question = "turn " + turn + " " + "x".repeat(CHUNKS);
    long now = turn;
    log.append(FrameDraft.userMessage(send, question), now);
    log.append(FrameDraft.reply(send, 0, FrameKind.TYPING, new JsonObject().put("on", true)), now);
    for (int i = 1; i <= CHUNKS; i++) {
      log.append(FrameDraft.reply(send, i, FrameKind.CHUNK,
          new JsonObject().put("text", "x").put("index", i - 1)), now);
    }
    log.append(FrameDraft.reply(send, CHUNKS + 1, FrameKind.MESSAGE,
        new JsonObject().put("text", "echo: " + question)), now);
    log.append(FrameDraft.reply(send, CHUNKS + 2, FrameKind.TYPING,
        new JsonObject().put("on", false)), now);
  }
}
