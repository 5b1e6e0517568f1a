package dev.chatrelay.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamSlotsTest {

  @Test
  void grantsUpToTheLimitThenFirstComeFirstServed() {
    UpstreamSlots slots = new UpstreamSlots(2);
    List<String> granted = new ArrayList<>();
    UpstreamSlots.Slot a = slots.acquire(() -> granted.add("a"));
    slots.acquire(() -> granted.add("b"));
    UpstreamSlots.Slot c = slots.acquire(() -> granted.add("c"));
    UpstreamSlots.Slot d = slots.acquire(() -> granted.add("d"));
    slots.acquire(() -> granted.add("e"));
    assertEquals(List.of("a", "b"), granted);
    assertEquals(3, slots.waiting());
    d.release(); // leaves the queue without ever holding a slot
    a.release();
    a.release(); // a second release changes nothing
    assertEquals(List.of("a", "b", "c"), granted);
    c.release();
    assertEquals(List.of("a", "b", "c", "e"), granted);
    assertEquals(2, slots.inUse());
    assertEquals(0, slots.waiting());
  }
}
