package dev.chatrelay.loadgen.scenario;

import dev.chatrelay.loadgen.LoadOptions;
import dev.chatrelay.loadgen.check.HistorySnapshot;
import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.client.Connector;
import dev.chatrelay.loadgen.client.DriverConnection;
import dev.chatrelay.loadgen.client.HistoryClient;
import dev.chatrelay.loadgen.client.HmacJwt;
import dev.chatrelay.loadgen.report.RunStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scenario works with: options, users and tokens, the connector, the history client, and
 * the waiting helpers. Scenario code runs on the caller's (main) thread and blocks on futures.
 */
public final class RunContext {

  private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);
  /** How often a waited-for condition is polled (ms). */
  static final long POLL_MS = 10;
  /** Lifetime of the driver's tokens beyond the run (s): no refresh is ever due. */
  static final long TOKEN_SLACK_S = 3600;
  /** History reads in flight at once. */
  static final int HISTORY_CONCURRENCY = 16;
  /** Time one thread's whole history read may take (ms). */
  static final long HISTORY_READ_TIMEOUT_MS = 30_000;
  /** Attempts per thread's history read. */
  static final int HISTORY_ATTEMPTS = 2;
  /** Time one connection may take from connect to all its subscriptions answered (ms). */
  static final long READY_TIMEOUT_MS = 30_000;
  /** Time a whole batch of connections may take to start opening (ms); the rest count as failed. */
  static final long OPEN_ALL_TIMEOUT_MS = 60_000;

  private final LoadOptions options;
  private final Vertx vertx;
  private final Connector connector;
  private final HistoryClient history;
  private final String runId;
  private final HmacJwt jwt;

  public RunContext(LoadOptions options, Vertx vertx, Connector connector, HistoryClient history, String runId) {
    this.options = options;
    this.vertx = vertx;
    this.connector = connector;
    this.history = history;
    this.runId = runId;
    this.jwt = new HmacJwt(options.secret());
  }

  public LoadOptions options() {
    return options;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Connector connector() {
    return connector;
  }

  public RunStats stats() {
    return connector.stats();
  }

  public Violations violations() {
    return connector.violations();
  }

  /** Users 0..n-1 with fresh thread ids, so a run never sees a previous run's frames. */
  public List<SimUser> users() {
    long now = System.currentTimeMillis() / 1000;
    long exp = now + options.warmupS() + options.durationS() + options.drainS() + TOKEN_SLACK_S;
    List<SimUser> users = new ArrayList<>(options.users());
    for (int i = 0; i < options.users(); i++) {
      String sub = "lg-" + runId + "-u" + i;
      users.add(new SimUser(i, sub, jwt.sign(sub, now, exp), "t-" + runId + "-" + i));
    }
    return users;
  }

  public ThreadView newView(String where, SimUser user) {
    return new ThreadView(where, user.thread(), options.checkWindow(), violations());
  }

  /**
   * Opens {@code conns} with at most {@code --connect-concurrency} handshakes at a time; calls
   * {@code onReady} on each connection's event loop once it is subscribed. Returns how many made it.
   */
  public int openAll(List<DriverConnection> conns, Consumer<DriverConnection> onReady) {
    Semaphore permits = new Semaphore(options.connectConcurrency());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_ALL_TIMEOUT_MS);
    List<Future<Void>> all = new ArrayList<>(conns.size());
    for (DriverConnection c : conns) {
      if (!acquireBefore(permits, deadline)) {
        violations().add(c.name(), "not opened: " + (conns.size() - all.size())
            + " connections still waiting after " + OPEN_ALL_TIMEOUT_MS + " ms");
        break;
      }
      Future<Void> ready = c.open().timeout(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .onComplete(ar -> permits.release())
          .onFailure(t -> violations().add(c.name(), "not subscribed: " + t.getMessage()));
      ready.onSuccess(v -> c.run(() -> onReady.accept(c)));
      all.add(ready);
    }
    Future.join(all).otherwiseEmpty().await();
    int ok = 0;
    for (Future<Void> f : all) {
      ok += f.succeeded() ? 1 : 0;
    }
    if (ok < conns.size()) {
      LOG.warn("event=open.incomplete opened={} wanted={}", ok, conns.size());
    }
    return ok;
  }

  private static boolean acquireBefore(Semaphore permits, long deadlineNanos) {
    try {
      return permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes every connection normally and waits (bounded) for them to be gone. */
  public void closeAll(List<DriverConnection> conns) {
    List<Future<Integer>> all = new ArrayList<>(conns.size());
    for (DriverConnection c : conns) {
      all.add(c.close());
    }
    try {
      Future.join(all).await(options.drainS(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("event=close.timeout connections={}", conns.size());
    }
  }

  /** Waits {@code ms} without holding an event loop. */
  public void pause(long ms) {
    if (ms > 0) {
      vertx.timer(ms).await();
    }
  }

  /** Polls {@code condition} until true or {@code timeoutMs}; returns whether it became true. */
  public boolean awaitCondition(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause(POLL_MS);
    }
    return true;
  }

  /** Waits until every view is quiescent (replies done, sends accepted); records the stragglers. */
  public boolean awaitQuiescent(List<ThreadView> views, long timeoutMs) {
    boolean done = awaitCondition(() -> views.stream().allMatch(ThreadView::quiescent), timeoutMs);
    if (!done) {
      int shown = 0;
      for (ThreadView v : views) {
        if (!v.quiescent() && shown++ < 3) {
          violations().add(v.where(), "not quiescent after " + timeoutMs + " ms: replies still open or sends unaccepted, last seq " + v.lastSeq());
        }
      }
      violations().add("run", views.stream().filter(v -> !v.quiescent()).count() + " views not quiescent");
    }
    return done;
  }

  /**
   * Compares every view with the history API of its thread; returns the frames lost in total
   * (history frames a view never processed). Failed reads are violations.
   */
  public long verifyHistory(Map<SimUser, List<ThreadView>> viewsByUser) {
    Semaphore permits = new Semaphore(HISTORY_CONCURRENCY);
    List<Future<Long>> all = new ArrayList<>();
    for (Map.Entry<SimUser, List<ThreadView>> e : viewsByUser.entrySet()) {
      SimUser u = e.getKey();
      permits.acquireUninterruptibly();
      Future<HistorySnapshot> read = readHistory(u, 1).onComplete(ar -> permits.release());
      all.add(read.map(h -> {
        long lost = 0;
        for (ThreadView v : e.getValue()) {
          lost += v.compareWith(h);
        }
        return lost;
      }).onFailure(t -> violations().add(u.sub() + "/" + u.thread(), "history read failed: " + t.getMessage())));
    }
    Future.join(all).otherwiseEmpty().await();
    long lost = 0;
    for (Future<Long> f : all) {
      lost += f.succeeded() ? f.result() : 0;
    }
    return lost;
  }

  /**
   * One thread's history with a deadline of its own, so a read that hangs fails the run instead
   * of hanging it; a failed attempt is retried once and counted as {@code history_retry}.
   */
  private Future<HistorySnapshot> readHistory(SimUser u, int attempt) {
    return history.read(u.token(), u.thread()).timeout(HISTORY_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(t -> {
          if (attempt >= HISTORY_ATTEMPTS) {
            return Future.failedFuture(t);
          }
          LOG.warn("event=history.retry sub={} thread={} cause={}", u.sub(), u.thread(), t.toString());
          stats().error("history_retry");
          return readHistory(u, attempt + 1);
        });
  }

  /** Views grouped by their user, in user order. */
  public static Map<SimUser, List<ThreadView>> byUser(List<SimUser> users, List<List<ThreadView>> views) {
    Map<SimUser, List<ThreadView>> out = new LinkedHashMap<>();
    for (int i = 0; i < users.size(); i++) {
      out.put(users.get(i), views.get(i));
    }
    return out;
  }
}
