package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.ShardRecordBatch;
import dev.chatrelay.protocol.bus.Shards;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code relay.node.<this node>} (cluster mode): takes each record of a gateway's
 * {@link ShardRecordBatch} to its shard in order, exactly as if it had arrived at the shard's
 * address. A record for a shard not served here (the gateway's view is ahead of or behind this
 * relay's claims) is sent on to the shard's address, where whoever consumes the shard handles it
 * as before batching: its owner, or a released shard's consumer dropping it (NOT_OWNER).
 * Event-loop confined (the verticle's).
 */
final class RelayNodeInbox {

  private static final Logger log = LoggerFactory.getLogger(RelayNodeInbox.class);

  private final RelayRuntime rt;
  private final ShardHost host;
  private final ShardRouter router;

  RelayNodeInbox(RelayRuntime rt, ShardHost host, ShardRouter router) {
    this.rt = rt;
    this.host = host;
    this.router = router;
  }

  void onMessage(Message<Object> msg) {
    ShardRecordBatch batch;
    try {
      batch = BusBodies.as(msg.body(), ShardRecordBatch.class, ShardRecordBatch::fromJson);
    } catch (RuntimeException e) {
      log.warn("event=shard_records.bad_request error={}", e.toString());
      return;
    }
    for (BusRecord record : batch.records()) {
      int index = Shards.shardOf(ShardRecordBatch.keyOf(record), rt.config().shards());
      Shard shard = host.served(index);
      if (shard != null) {
        router.handleSent(shard, record);
      } else {
        BusSends.send(rt.bus(), Addresses.shard(index), record);
      }
    }
  }
}
