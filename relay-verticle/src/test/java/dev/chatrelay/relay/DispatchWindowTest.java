package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.journal.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window alone: slots, the line in arrival order, one place in line per thread. */
class DispatchWindowTest {

  private final List<ThreadState> started = new ArrayList<>();

  @Test
  void jobsBeyondTheWindowWaitAndStartInTheOrderTheirThreadsCame() {
    DispatchWindow window = new DispatchWindow(2);
    ThreadState a = thread("a");
    ThreadState b = thread("b");
    ThreadState c = thread("c");
    ThreadState d = thread("d");
    ReplyJob ja = job("ja");
    ReplyJob jb = job("jb");
    assertTrue(window.enter(a, ja));
    assertTrue(window.enter(b, jb));
    assertFalse(window.enter(c, job("jc")));
    assertFalse(window.enter(d, job("jd")));
    assertFalse(window.enter(c, job("jc")), "still in line");
    assertEquals(2, window.waiting(), "a thread stands in line once");

    window.leave(jb, t -> {
      started.add(t);
      assertTrue(window.enter(t, job("j" + t.key.thread())), "the head of the line takes the slot");
    });
    assertEquals(List.of(c), started);
    assertEquals(2, window.starting());
    assertEquals(1, window.waiting());
  }

  @Test
  void aThreadInLineWithNothingLeftToStartPassesTheSlotOn() {
    DispatchWindow window = new DispatchWindow(1);
    ReplyJob first = job("j1");
    ThreadState b = thread("b");
    ThreadState c = thread("c");
    assertTrue(window.enter(thread("a"), first));
    assertFalse(window.enter(b, job("j2")));
    assertFalse(window.enter(c, job("j3")));
    window.leave(first, t -> {
      started.add(t);
      if (t == c) {
        assertTrue(window.enter(t, job("j3")));
      } // b's job was cancelled or its thread left memory meanwhile: it takes nothing
    });
    assertEquals(List.of(b, c), started);
    assertEquals(1, window.starting());
    assertEquals(0, window.waiting());
  }

  @Test
  void aJobHoldingASlotKeepsItAndLeavingTwiceFreesOnce() {
    DispatchWindow window = new DispatchWindow(1);
    ThreadState a = thread("a");
    ReplyJob ja = job("ja");
    assertTrue(window.enter(a, ja));
    assertTrue(window.enter(a, ja), "a retry of the same job keeps its slot");
    assertFalse(window.enter(thread("b"), job("jb")));
    window.leave(ja, started::add);
    window.leave(ja, started::add);
    window.leave(null, started::add);
    assertEquals(1, started.size(), "only the first leave freed a slot");
  }

  private static ThreadState thread(String name) {
    return new ThreadState(new ThreadKey("u", name), 0, new ThreadInfo("e", 0, 1), 4, 0);
  }

  private static ReplyJob job(String id) {
    return ReplyJob.ofSend(id, "hi");
  }
}
