package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.SendCommand;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The shard dispatch table finds a command's row by record type and by {@code op}. */
class ShardOpsTest {

  private static final ThreadKey KEY = new ThreadKey("alice", "t1");
  private final ShardOps ops = new ShardOps(null, null, null);

  @Test
  void aRecordAndItsJsonReachTheSameRow() {
    AckCommand ack = new AckCommand(KEY, "gateway.g1", 7, 42);
    ShardOps.Command<?> byType = ops.read(ack);
    ShardOps.Command<?> byTag = ops.read(ack.toJson());
    assertSame(byType.op(), byTag.op());
    assertEquals(AckCommand.TAG, byType.op().tag());
    assertSame(ack, byType.command());
    assertEquals(ack, byTag.command());
    assertEquals(SendCommand.TAG, ops.read(new SendCommand(KEY, "s1", "hi")).op().tag());
  }

  @Test
  void anythingElseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ops.read(new JobCancel(KEY, "s1", 1)));
    assertThrows(IllegalArgumentException.class,
        () -> ops.read(new JsonObject().put("op", "nope")));
    assertThrows(IllegalArgumentException.class, () -> ops.read("ack"));
  }
}
