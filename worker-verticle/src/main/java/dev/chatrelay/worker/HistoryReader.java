package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a thread's retained frames from its relay shard with the history query the gateway uses,
 * page by page, so a reply sees the journal as it is (the same after a failover, in every mode).
 * Bus failures worth retrying are retried until the bus timeout, as appends are.
 */
final class HistoryReader {

  /** Frames asked for per page: a few round trips cover the default retention of 1000. */
  static final int PAGE_FRAMES = 500;
  /** Pages read at most: far beyond any retention, a guard against a head that keeps moving. */
  static final int MAX_PAGES = 100;

  private final Vertx vertx;
  private final String shardAddress;
  private final ThreadKey key;
  private final WorkerConfig config;
  private final Clock clock;
  private final List<Frame> frames = new ArrayList<>();
  private final Promise<List<Frame>> result = Promise.promise();
  private long deadline;
  private int pages;

  private HistoryReader(Vertx vertx, String shardAddress, ThreadKey key, WorkerConfig config,
      Clock clock) {
    this.vertx = vertx;
    this.shardAddress = shardAddress;
    this.key = key;
    this.config = config;
    this.clock = clock;
  }

  /** Every retained frame of {@code key}, oldest first. */
  static Future<List<Frame>> read(Vertx vertx, String shardAddress, ThreadKey key,
      WorkerConfig config, Clock clock) {
    HistoryReader reader = new HistoryReader(vertx, shardAddress, key, config, clock);
    reader.deadline = clock.millis() + config.busTimeoutMs();
    reader.page(0);
    return reader.result.future();
  }

  private void page(long after) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(Math.max(1, Math.min(deadline - clock.millis(), config.busAttemptMs())));
    BusSends.request(vertx.eventBus(), shardAddress, new HistoryQuery(key, after, PAGE_FRAMES),
        options).onComplete(ar -> {
          if (ar.failed()) {
            retryOrFail(after, ar.cause());
            return;
          }
          HistoryPage page;
          try {
            page = BusBodies.as(ar.result().body(), HistoryPage.class, HistoryPage::fromJson);
          } catch (RuntimeException e) {
            result.fail(e);
            return;
          }
          frames.addAll(page.frames());
          pages++;
          long last = page.frames().isEmpty() ? after
              : page.frames().get(page.frames().size() - 1).seq();
          if (page.frames().isEmpty() || last >= page.head() || pages >= MAX_PAGES) {
            result.complete(frames);
          } else {
            page(last);
          }
        });
  }

  private void retryOrFail(long after, Throwable cause) {
    if ((BusFailure.retryable(cause) || BusFailure.unavailable(cause))
        && clock.millis() + config.busRetryMs() < deadline) {
      vertx.setTimer(config.busRetryMs(), id -> page(after));
    } else {
      result.fail(cause);
    }
  }
}
