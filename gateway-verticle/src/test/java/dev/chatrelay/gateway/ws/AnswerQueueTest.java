package dev.chatrelay.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerQueueTest {

  private final AnswerQueue queue = new AnswerQueue();
  private final List<String> written = new ArrayList<>();

  @Test
  void answersRunInReservationOrderWhateverOrderTheyArrive() {
    AnswerQueue.Slot a = queue.reserve();
    AnswerQueue.Slot b = queue.reserve();
    AnswerQueue.Slot c = queue.reserve();
    queue.fill(c, () -> written.add("c"));
    queue.fill(b, () -> written.add("b"));
    assertEquals(List.of(), written);
    queue.fill(a, () -> written.add("a"));
    assertEquals(List.of("a", "b", "c"), written);
    assertEquals(0, queue.pending());
  }

  @Test
  void anImmediateAnswerWaitsForThoseAhead() {
    AnswerQueue.Slot a = queue.reserve();
    queue.enqueue(() -> written.add("now"));
    assertEquals(List.of(), written);
    queue.fill(a, () -> written.add("a"));
    assertEquals(List.of("a", "now"), written);
  }

  @Test
  void anAnswerThatFillsAnotherSlotKeepsTheOrder() {
    AnswerQueue.Slot a = queue.reserve();
    AnswerQueue.Slot b = queue.reserve();
    queue.fill(a, () -> {
      written.add("a");
      queue.fill(b, () -> written.add("b"));
      written.add("a-done");
    });
    assertEquals(List.of("a", "a-done", "b"), written);
  }

  @Test
  void aSlotIsFilledOnce() {
    AnswerQueue.Slot a = queue.reserve();
    queue.reserve();
    queue.fill(a, () -> { });
    assertThrows(IllegalStateException.class, () -> queue.fill(a, () -> { }));
  }
}
