package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnreachableShardsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final List<Set<Integer>> closed = new ArrayList<>();
  private final UnreachableShards shards =
      new UnreachableShards(5_000, 60_000, now::get, closed::add);

  @Test
  void aShortHandoverClosesNothing() {
    shards.observe(Set.of(3, 4));
    now.addAndGet(4_999);
    shards.observe(Set.of(3, 4));
    now.addAndGet(1);
    shards.observe(Set.of()); // covered again just in time
    now.addAndGet(10_000);
    shards.observe(Set.of());
    assertEquals(List.of(), closed);
    assertTrue(shards.healthy());
  }

  @Test
  void onlyShardsUnreachablePastTheBoundCloseAndAgainAtEveryCheck() {
    shards.observe(Set.of(3));
    now.addAndGet(2_000);
    shards.observe(Set.of(3, 9));
    now.addAndGet(3_000);
    shards.observe(Set.of(3, 9));
    assertEquals(List.of(Set.of(3)), closed);
    now.addAndGet(2_000);
    shards.observe(Set.of(3, 9)); // sessions that subscribed since are closed too
    assertEquals(List.of(Set.of(3), Set.of(3, 9)), closed);
  }

  @Test
  void aShardCoveredAgainStartsItsNextOutageFromZero() {
    shards.observe(Set.of(7));
    now.addAndGet(4_000);
    shards.observe(Set.of());
    shards.observe(Set.of(7));
    now.addAndGet(4_000);
    shards.observe(Set.of(7));
    assertEquals(List.of(), closed);
  }

  @Test
  void unhealthyOnlyPastTheLongerBoundAndHealthyOnceCovered() {
    shards.observe(Set.of(1));
    now.addAndGet(59_999);
    assertTrue(shards.healthy());
    now.addAndGet(1);
    assertFalse(shards.healthy());
    shards.observe(Set.of());
    assertTrue(shards.healthy());
  }
}
