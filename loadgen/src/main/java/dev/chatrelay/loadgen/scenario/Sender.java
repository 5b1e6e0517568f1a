package dev.chatrelay.loadgen.scenario;

import dev.chatrelay.loadgen.LoadOptions;
import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.client.DriverConnection;
import io.vertx.core.Vertx;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of one user, on its connection's event loop. Closed loop: the next send goes
 * out when the reply to the previous one ends ({@code typing off}), at most
 * {@code --max-user-sends-per-s}. Paced: sends on a drift-free schedule of {@code --interval-ms}
 * or of the period that {@code --rate} gives each user, starting at a seeded random offset.
 */
final class Sender {

  /** Most sends made at once to catch up with a schedule that fell behind. */
  private static final int MAX_CATCH_UP = 4;
  /** Seed of the start offsets (deterministic runs). */
  private static final long SEED = 42;

  private final Vertx vertx;
  private final SimUser user;
  private final DriverConnection conn;
  private final ThreadView view;
  private final SendBudget budget;
  private final int textBytes;
  private final long periodNanos;
  private final long minGapNanos;
  private long count;
  private String lastId;
  private long lastSendNanos;
  private long nextDueNanos;

  Sender(Vertx vertx, LoadOptions o, SimUser user, DriverConnection conn, ThreadView view, SendBudget budget) {
    this.vertx = vertx;
    this.user = user;
    this.conn = conn;
    this.view = view;
    this.budget = budget;
    this.textBytes = o.textBytes();
    this.minGapNanos = TimeUnit.SECONDS.toNanos(1) / o.maxUserSendsPerS();
    if (o.rate() > 0) {
      this.periodNanos = (long) (1e9 / o.userSendsPerSecond());
    } else {
      this.periodNanos = TimeUnit.MILLISECONDS.toNanos(o.intervalMs());
    }
  }

  /** Starts sending; safe from any thread. */
  void start() {
    conn.run(periodNanos == 0 ? this::startClosedLoop : this::startPaced);
  }

  private void startClosedLoop() {
    view.onReplyCompleted(id -> {
      if (id != null && id.equals(lastId)) {
        sendWhenAllowed();
      }
    });
    sendNow();
  }

  private void sendWhenAllowed() {
    long wait = lastSendNanos + minGapNanos - System.nanoTime();
    if (wait <= 0) {
      sendNow();
    } else {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), t -> sendNow());
    }
  }

  private void startPaced() {
    long offset = (long) (new SplittableRandom(SEED + user.index()).nextDouble() * periodNanos);
    nextDueNanos = System.nanoTime() + offset;
    schedule();
  }

  private void schedule() {
    for (int i = 0; i < MAX_CATCH_UP; i++) {
      long wait = nextDueNanos - System.nanoTime();
      if (wait >= TimeUnit.MILLISECONDS.toNanos(1)) {
        vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(wait), t -> schedule());
        return;
      }
      if (!sendNow()) {
        return;
      }
      nextDueNanos += periodNanos;
    }
    vertx.setTimer(1, t -> schedule());
  }

  /** Sends the next message; false once the budget is spent or the run stopped. */
  private boolean sendNow() {
    if (!budget.take()) {
      return false;
    }
    String id = "m" + (++count);
    lastId = id;
    lastSendNanos = System.nanoTime();
    conn.send(view, id, SimUser.textFor(id, textBytes));
    return true;
  }
}
