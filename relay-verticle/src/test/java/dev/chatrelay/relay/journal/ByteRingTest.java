package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records written, wrapped, grown and released against a queue of what should be live. */
class ByteRingTest {

  private record Written(long position, byte[] bytes) {}

  @Test
  void liveRecordsReadBackAcrossWrapsAndGrowth() {
    Random random = new Random(20261127L);
    ByteRing ring = new ByteRing(0); // allocates on the first append
    ArrayDeque<Written> live = new ArrayDeque<>();
    for (int step = 0; step < 50_000; step++) {
      if (!live.isEmpty() && random.nextInt(100) < 45) {
        live.poll();
        ring.releaseBefore(live.isEmpty() ? ring.end() : live.peek().position());
      } else {
        byte[] record = new byte[1 + random.nextInt(40)];
        random.nextBytes(record);
        live.add(new Written(ring.append(record), record));
      }
      if (step % 97 == 0) {
        for (Written w : live) {
          byte[] back = new byte[w.bytes().length];
          ring.read(w.position(), back, back.length);
          assertArrayEquals(w.bytes(), back);
          assertEquals(w.bytes()[0], ring.byteAt(w.position()));
        }
      }
    }
    long liveBytes = live.stream().mapToLong(w -> w.bytes().length).sum();
    assertEquals(liveBytes, ring.live());
  }

  @Test
  void onlyLiveBytesCanBeReadOrReleased() {
    ByteRing ring = new ByteRing(4);
    long first = ring.append(new byte[] {1, 2, 3});
    long second = ring.append(new byte[] {4, 5, 6});
    ring.releaseBefore(second);
    assertThrows(IllegalArgumentException.class, () -> ring.read(first, new byte[3], 3));
    assertThrows(IllegalArgumentException.class, () -> ring.releaseBefore(first));
    assertThrows(IllegalArgumentException.class, () -> ring.releaseBefore(ring.end() + 1));
    byte[] back = new byte[3];
    ring.read(second, back, 3);
    assertArrayEquals(new byte[] {4, 5, 6}, back);
  }
}
