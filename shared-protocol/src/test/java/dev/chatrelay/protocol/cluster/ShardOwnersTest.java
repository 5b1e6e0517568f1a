package dev.chatrelay.protocol.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardOwnersTest {

  private static final int SHARDS = 64;

  private static List<String> nodes(int n, Random random) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(new java.util.UUID(random.nextLong(), random.nextLong()).toString());
    }
    return nodes;
  }

  @Test
  void noNodesMeansNoOwner() {
    assertNull(ShardOwners.ownerOf(3, List.of()));
  }

  @Test
  void theSameMembersInAnyOrderGiveTheSameOwners() {
    List<String> nodes = nodes(5, new Random(1));
    String[] expected = ShardOwners.owners(SHARDS, nodes);
    for (long seed = 2; seed < 12; seed++) {
      List<String> shuffled = new ArrayList<>(nodes);
      Collections.shuffle(shuffled, new Random(seed));
      assertEquals(List.of(expected), List.of(ShardOwners.owners(SHARDS, shuffled)));
    }
  }

  @Test
  void scoresArePinnedSoEveryVersionAndJvmAgrees() {
    // Changing the hash would move shards between relays running different versions.
    assertEquals("b", ShardOwners.ownerOf(0, List.of("a", "b", "c")));
    assertEquals(List.of("b", "a", "b", "b", "c", "a", "c", "b"),
        List.of(ShardOwners.owners(8, List.of("a", "b", "c"))));
  }

  @Test
  void shardsSpreadEvenlyEnough() {
    Random random = new Random(7);
    for (int n = 2; n <= 5; n++) {
      List<String> nodes = nodes(n, random);
      Map<String, Integer> counts = new HashMap<>();
      for (String owner : ShardOwners.owners(SHARDS, nodes)) {
        counts.merge(owner, 1, Integer::sum);
      }
      int fair = SHARDS / n;
      for (String node : nodes) {
        int count = counts.getOrDefault(node, 0);
        assertTrue(count >= fair / 3 && count <= fair * 2,
            n + " relays: " + node + " owns " + count + " of " + SHARDS + " " + counts);
      }
    }
  }

  @Test
  void aJoiningRelayTakesShardsOnlyFromOthersAndALeavingOneGivesOnlyItsOwn() {
    Random random = new Random(11);
    List<String> nodes = nodes(3, random);
    String[] before = ShardOwners.owners(SHARDS, nodes);
    String joiner = nodes(1, random).get(0);
    List<String> grown = new ArrayList<>(nodes);
    grown.add(joiner);
    String[] after = ShardOwners.owners(SHARDS, grown);
    int moved = 0;
    for (int s = 0; s < SHARDS; s++) {
      if (!before[s].equals(after[s])) {
        assertEquals(joiner, after[s], "shard " + s + " moved between two old relays");
        moved++;
      }
    }
    assertTrue(moved > 0 && moved < SHARDS / 2, "moved " + moved);

    String leaver = nodes.get(1);
    List<String> shrunk = new ArrayList<>(nodes);
    shrunk.remove(leaver);
    String[] left = ShardOwners.owners(SHARDS, shrunk);
    for (int s = 0; s < SHARDS; s++) {
      if (!before[s].equals(leaver)) {
        assertEquals(before[s], left[s], "shard " + s + " moved though its owner stayed");
      }
    }
  }

  @Test
  void viewComputesOwnershipFromRelaysOnly() {
    ClusterView view = new ClusterView("g", Set.of("g", "a", "b", "c"), Set.of("a", "b", "c"));
    assertTrue(view.hasRelay());
    assertEquals("b", view.ownerOf(0));
    assertTrue(new ClusterView("b", view.members(), view.relays()).ownsLocally(0));
    assertTrue(!view.ownsLocally(0));
    ClusterView empty = new ClusterView("g", Set.of("g"), Set.of());
    assertTrue(!empty.hasRelay());
    assertNull(empty.ownerOf(0));
  }
}
