package dev.chatrelay.gateway.bus;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.ShardRecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Coalesces a gateway instance's fire-and-forget shard records (acks, receipts, unsubscribes) per
 * relay node within one event-loop turn into one bus message ({@link ShardRecordBatch}, to
 * {@link Addresses#relayNode}): in cluster mode each message costs a socket write and a wake-up
 * on both sides, and a turn that reads many clients' acks makes many records. A lone record goes
 * to its shard's address as itself, as does every record whose shard has no known owner (no
 * relay in the view, or not clustered). Before a subscribe, what is pending for the shard's
 * owner leaves first ({@link #flushBefore}): the relay then sees the gateway's order. A batch
 * leaves early once it holds {@code maxRecords}. Event-loop confined.
 */
final class RelayOutbox {

  private final EventBus bus;
  private final int maxRecords;
  /** The relay node owning a shard in this gateway's view, or null when none is known. */
  private final IntFunction<String> owners;
  private final Map<String, List<Pending>> pending = new LinkedHashMap<>();
  private boolean flushScheduled;

  private record Pending(int shard, BusRecord record) {}

  /** @param maxRecords 1 sends every record alone to its shard (no coalescing) */
  RelayOutbox(EventBus bus, int maxRecords, IntFunction<String> owners) {
    this.bus = bus;
    this.maxRecords = maxRecords;
    this.owners = owners;
  }

  /** Sends {@code record} for {@code shard} at the end of this turn, with the turn's others. */
  void send(int shard, BusRecord record) {
    Context context = Vertx.currentContext();
    String node = maxRecords > 1 && context != null ? owners.apply(shard) : null;
    if (node == null) { // off an event loop (a test's thread) or no owner known: as before
      BusSends.send(bus, Addresses.shard(shard), record);
      return;
    }
    List<Pending> records = pending.computeIfAbsent(node, n -> new ArrayList<>());
    records.add(new Pending(shard, record));
    if (records.size() >= maxRecords) {
      flush(node);
    }
    if (!flushScheduled && !pending.isEmpty()) {
      flushScheduled = true;
      context.runOnContext(v -> flushAll());
    }
  }

  /** Sends what is pending for the owner of {@code shard} now, before a request to it. */
  void flushBefore(int shard) {
    if (pending.isEmpty()) {
      return;
    }
    String node = owners.apply(shard);
    if (node != null) {
      flush(node);
    }
  }

  void flushAll() {
    flushScheduled = false;
    for (String node : new ArrayList<>(pending.keySet())) {
      flush(node);
    }
  }

  private void flush(String node) {
    List<Pending> records = pending.remove(node);
    if (records == null) {
      return;
    }
    if (records.size() == 1) {
      Pending lone = records.get(0);
      BusSends.send(bus, Addresses.shard(lone.shard()), lone.record());
      return;
    }
    List<BusRecord> batch = new ArrayList<>(records.size());
    records.forEach(p -> batch.add(p.record()));
    // Not sent is lost on the way, as any bus send can be: acks are cumulative and the relay's
    // delivery watch resends or probes until one arrives.
    BusSends.send(bus, Addresses.relayNode(node), new ShardRecordBatch(batch));
  }
}
