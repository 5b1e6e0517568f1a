package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.AppendAccepted;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.SendAccepted;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.shard.FixedShards;
import dev.chatrelay.relay.shard.ShardOwnership;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** One deployed relay with a fake gateway and helpers that speak its bus contract from the test thread. */
final class RelayHarness {

  static final String GATEWAY = "g1";

  final Vertx vertx;
  final RelayConfig config;
  final Journal journal;
  final RelayMetrics metrics = new RelayMetrics(new SimpleMeterRegistry());
  final FakeGateway gateway;
  final RelayVerticle verticle;
  /** Added to the system time the relay sees, so a test can jump past leases and limits. */
  private final AtomicLong clockOffset = new AtomicLong();

  private RelayHarness(Vertx vertx, RelayConfig config, Journal journal,
      ShardOwnership ownership) {
    this.vertx = vertx;
    this.config = config;
    this.journal = journal;
    this.gateway = new FakeGateway(vertx, GATEWAY, config.shards());
    this.verticle = new RelayVerticle(config, journal, ownership, metrics,
        () -> System.currentTimeMillis() + clockOffset.get());
  }

  static RelayHarness deploy(Vertx vertx, RelayConfig config, Journal journal) {
    return deploy(vertx, config, journal, FixedShards.all(config.shards()));
  }

  /** A relay whose shards {@code ownership} decides (cluster tests). */
  static RelayHarness deploy(Vertx vertx, RelayConfig config, Journal journal,
      ShardOwnership ownership) {
    RelayHarness h = new RelayHarness(vertx, config, journal, ownership);
    h.gateway.ready().await();
    vertx.deployVerticle(h.verticle).await();
    return h;
  }

  /** Moves the relay's clock forward; the next sweep sees the new time. */
  void advanceClock(long ms) {
    clockOffset.addAndGet(ms);
  }

  FakeWorker worker(String id) {
    FakeWorker w = new FakeWorker(vertx, id, config.shards());
    w.ready().await();
    return w;
  }

  String shardAddress(ThreadKey key) {
    return Addresses.shard(Shards.shardOf(key, config.shards()));
  }

  AsyncResult<Message<Object>> request(ThreadKey key, JsonObject body) {
    Future<Message<Object>> f = vertx.eventBus().request(shardAddress(key), body);
    return f.transform(ar -> Future.succeededFuture(ar)).await();
  }

  JsonObject ok(ThreadKey key, JsonObject body) {
    AsyncResult<Message<Object>> ar = request(key, body);
    if (ar.failed()) {
      fail("request failed: " + body + " -> " + ar.cause());
    }
    return BusBodies.json(ar.result().body());
  }

  int failureCode(ThreadKey key, JsonObject body) {
    AsyncResult<Message<Object>> ar = request(key, body);
    assertTrue(ar.failed(), "expected a failure for " + body);
    return ((ReplyException) ar.cause()).failureCode();
  }

  void tell(ThreadKey key, JsonObject body) {
    vertx.eventBus().send(shardAddress(key), body);
  }

  /** Writes frames straight into the journal, before the relay first touches the thread. */
  void seed(ThreadKey key, int frames) {
    for (int i = 1; i <= frames; i++) {
      journal.append(key, FrameDraft.userMessage("seed-" + i, "seed " + i)).await();
    }
  }

  SubscribeAnswer subscribe(ThreadKey key, String epoch, Long after, long conn, long sid) {
    return SubscribeAnswer.fromJson(
        ok(key, new SubscribeCommand(key, epoch, after, GATEWAY, conn, sid).toJson()));
  }

  void ack(ThreadKey key, long conn, long seq) {
    tell(key, new AckCommand(key, GATEWAY, conn, seq).toJson());
  }

  void unsubscribe(ThreadKey key, long conn) {
    tell(key, new UnsubscribeCommand(key, GATEWAY, conn).toJson());
  }

  long send(ThreadKey key, String id, String text) {
    return SendAccepted.fromJson(ok(key, new SendCommand(key, id, text).toJson())).seq();
  }

  long append(ThreadKey key, String job, int attempt, int index, FrameKind kind, JsonObject data) {
    return AppendAccepted.fromJson(
        ok(key, new AppendCommand(key, job, attempt, index, kind, data).toJson())).seq();
  }

  int appendFailure(ThreadKey key, String job, int attempt, int index) {
    return failureCode(key, new AppendCommand(key, job, attempt, index, FrameKind.CHUNK,
        new JsonObject().put("text", "x").put("index", index)).toJson());
  }

  /** The failure of a request to the shard of {@code key}, or null when it succeeded. */
  ReplyException failureOf(ThreadKey key, JsonObject body) {
    AsyncResult<Message<Object>> ar = request(key, body);
    return ar.failed() ? (ReplyException) ar.cause() : null;
  }

  HistoryPage history(ThreadKey key, long after, int limit) {
    return HistoryPage.fromJson(ok(key, new HistoryQuery(key, after, limit).toJson()));
  }

  JsonObject cancel(ThreadKey key, String replyTo) {
    return ok(key, new CancelCommand(key, replyTo).toJson());
  }

  /** Round trips through the shard, then the gateway: whatever the relay sent before is recorded. */
  void flush(ThreadKey key) {
    history(key, 0, 1);
    gateway.flush();
  }

  /** Counter value of a relay meter. */
  double count(String name, String... tags) {
    var counter = metrics.registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
