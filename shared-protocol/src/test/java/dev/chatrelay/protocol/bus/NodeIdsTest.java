package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeIdsTest {

  /** Hazelcast node ids are UUIDs: dashes inside the node, none in the counter. */
  private static final String NODE = "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8";

  @Test
  void anInstanceIdNamesItsNodeAndNoOther() {
    String id = NodeIds.of(NODE, 12);
    assertTrue(NodeIds.onNode(id, NODE));
    assertFalse(NodeIds.onNode(id, NODE.substring(0, NODE.length() - 1)));
    assertFalse(NodeIds.onNode(id, "3f2a9c1e"));
    assertFalse(NodeIds.onNode(NODE, NODE));
    assertFalse(NodeIds.onNode(NodeIds.of(NODE + "x", 1), NODE));
  }

  @Test
  void workerAddressesGiveTheirIdBack() {
    String id = NodeIds.of(NODE, 1);
    assertEquals(id, Addresses.workerId(Addresses.worker(id)));
    assertNull(Addresses.workerId(Addresses.WORKER_JOBS));
    assertNull(Addresses.workerId(Addresses.gateway(id)));
    assertNull(Addresses.workerId(null));
  }
}
