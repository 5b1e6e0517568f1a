package dev.chatrelay.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardWatchTest {

  @Test
  void reportsShardsWithANewOwnerButNotThoseLeftWithoutOne() {
    String[] before = {"a", "a", "b", null, "b"};
    String[] next = {"a", "c", null, "c", "b"};
    assertEquals(Set.of(1, 3), ShardWatch.movedShards(before, next));
  }

  @Test
  void nothingMovesWhenOwnersStay() {
    String[] owners = {"a", "b"};
    assertEquals(Set.of(), ShardWatch.movedShards(owners, owners.clone()));
  }
}
