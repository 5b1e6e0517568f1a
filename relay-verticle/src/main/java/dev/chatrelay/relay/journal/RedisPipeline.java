package dev.chatrelay.relay.journal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection with many commands in flight (pipelining: one round trip per command
 * would cap throughput at the pool's ~16k ops/s, see bench/HISTORY.md). At most {@code maxInFlight}
 * commands are outstanding; later ones wait in a bounded FIFO, so commands reach Redis in the
 * order they were sent. When the connection drops, commands in flight fail, new ones fail at
 * once with {@link JournalUnavailableException}, and it reconnects with doubling pauses.
 * Confined to one Vert.x context; {@link #send} may be called from any thread, and costs a hop
 * to that context's event loop from any other ({@link #moveTo} puts it on its caller's).
 */
final class RedisPipeline {

  private static final Logger log = LoggerFactory.getLogger(RedisPipeline.class);

  /** Where the state lives; moves only in {@link #moveTo}, before the pipeline is used. */
  private final PipelineLoop loop;
  private final Vertx vertx;
  private final RedisOptions redisOptions;
  private Redis client;
  private final RedisJournalOptions options;
  private final List<LuaScript> scripts;
  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
  private volatile RedisConnection connection;
  private int inFlight;
  private long nextPauseMs;
  private int failedAttempts;
  private long reconnectTimer = -1;
  private boolean closed;
  private record Waiting(Request request, Promise<Response> promise) {}

  private final UnansweredCommands unanswered = new UnansweredCommands();
  private long timeoutTimer = -1;

  private RedisPipeline(Vertx vertx, RedisJournalOptions options, List<LuaScript> scripts) {
    this.vertx = vertx;
    this.loop = new PipelineLoop(vertx.getOrCreateContext());
    this.options = options;
    this.scripts = scripts;
    this.nextPauseMs = options.reconnectInitialMs();
    this.redisOptions = RedisClientOptions.of(options);
    this.client = Redis.createClient(vertx, redisOptions);
  }

  /** Connects and loads {@code scripts}; fails if the first connection cannot be made. */
  static Future<RedisPipeline> open(Vertx vertx, RedisJournalOptions options,
      List<LuaScript> scripts) {
    RedisPipeline pipe = new RedisPipeline(vertx, options, scripts);
    Promise<RedisPipeline> opened = Promise.promise();
    pipe.loop.context().runOnContext(v -> pipe.connectOnce().onComplete(ar -> {
      if (ar.succeeded()) {
        pipe.startTimeoutCheck();
        opened.complete(pipe);
      } else {
        pipe.client.close();
        opened.fail(new JournalUnavailableException("cannot connect to redis at "
            + redacted(options.url()) + ": " + ar.cause().getMessage(), ar.cause()));
      }
    }));
    return opened.future();
  }

  /** The periodic check for unanswered commands, on the pipeline's context (call from it). */
  private void startTimeoutCheck() {
    timeoutTimer = vertx.setPeriodic(Math.max(1, options.commandTimeoutMs() / 4),
        id -> failUnanswered());
  }

  /**
   * Moves the pipeline onto {@code target}'s event loop (the relay verticle's: no thread crossing
   * per command) by replacing the connection with one made there, only while nothing is in
   * flight; otherwise it stays. The new connection's context is its own on that loop, not
   * {@code target} (whose undeploy would close it). Completes on {@code target}.
   */
  Future<Void> moveTo(Context target) {
    ContextInternal caller = (ContextInternal) target;
    if (loop.sameLoopAs(caller)) {
      return Future.succeededFuture();
    }
    Promise<Void> moved = caller.promise();
    Context from = loop.context();
    Context home = ((VertxInternal) vertx).contextBuilder()
        .withEventLoop(caller.nettyEventLoop()).build();
    home.runOnContext(v -> {
      Redis next = Redis.createClient(vertx, redisOptions);
      connectWith(next).onComplete(ar -> from.runOnContext(w -> {
        if (ar.failed() || closed || inFlight > 0 || !queue.isEmpty() || connection == null) {
          if (ar.succeeded()) {
            ar.result().close();
          }
          next.close();
          log.warn("event=redis.move_skipped url={} reason={}", redacted(options.url()),
              ar.failed() ? ar.cause().toString() : "busy or down");
          moved.complete();
          return;
        }
        RedisConnection old = connection;
        Redis oldClient = client;
        if (timeoutTimer >= 0) {
          vertx.cancelTimer(timeoutTimer);
          timeoutTimer = -1;
        }
        client = next;
        loop.moveTo(home);
        connection = ar.result(); // the old one's end is ignored from here on (lost() checks)
        home.runOnContext(x -> {
          if (!closed) {
            startTimeoutCheck();
          }
        });
        old.close().eventually(oldClient::close).onComplete(x -> moved.complete());
      }));
    });
    return moved.future();
  }

  long hops() { // calls and answers handed over from another thread so far (tests)
    return loop.hops();
  }

  /** Sends {@code request}; its answer, or the Redis error / connection failure. */
  Future<Response> send(Request request) {
    Promise<Response> promise = Promise.promise();
    loop.runCounted(() -> enqueue(request, promise));
    return promise.future();
  }

  boolean connected() { // a connection is up
    return connection != null;
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    loop.run(() -> {
      closed = true;
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
      }
      if (timeoutTimer >= 0) {
        vertx.cancelTimer(timeoutTimer);
      }
      failQueued("journal closed");
      RedisConnection c = connection;
      connection = null;
      Future<Void> closing = c == null ? Future.succeededFuture() : c.close();
      closing.eventually(() -> client.close()).onComplete(done);
    });
    return done.future();
  }

  private void enqueue(Request request, Promise<Response> promise) {
    if (closed) {
      promise.fail(new JournalUnavailableException("journal closed"));
    } else if (connection == null) {
      promise.fail(new JournalUnavailableException("redis connection down, reconnecting"));
    } else if (inFlight < options.maxInFlight() && queue.isEmpty()) {
      write(request, promise);
    } else if (queue.size() < options.maxQueued()) {
      queue.add(new Waiting(request, promise));
    } else {
      promise.fail(new JournalUnavailableException(
          "redis overloaded: " + queue.size() + " commands queued"));
    }
  }

  private void write(Request request, Promise<Response> promise) {
    inFlight++;
    UnansweredCommands.Sent entry = unanswered.written(promise);
    connection.send(request).onComplete(ar -> loop.runCounted(() -> {
      inFlight--;
      unanswered.answered(entry);
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else if (RedisFailures.isErrorReply(ar.cause())) {
        promise.tryFail(ar.cause()); // Redis answered: its error code says what it means
      } else {
        promise.tryFail(RedisFailures.unreachable(ar.cause())); // no answer came at all
      }
      drain();
    }));
  }

  /**
   * Fails the commands written longer ago than the command timeout: Redis stopped answering or
   * the link went silent. The connection is replaced: after a cut link, TCP resends on the old
   * one only after its backed-off timer (seconds), where a new one works at once.
   */
  private void failUnanswered() {
    int failed = unanswered.failOlderThan(options.commandTimeoutMs());
    if (failed > 0) {
      log.warn("event=redis.command_timeout url={} timeoutMs={} failed={} inFlight={}",
          redacted(options.url()), options.commandTimeoutMs(), failed, inFlight);
      if (connection != null) {
        lost(connection, new JournalTimeoutException("no answer within the command timeout"));
        replaceClient();
      }
    }
  }

  /** A new client for the next connection: a pooled connection's close keeps its socket. */
  private void replaceClient() {
    Redis stale = client;
    client = Redis.createClient(vertx, redisOptions);
    stale.close();
  }

  private void drain() {
    while (connection != null && inFlight < options.maxInFlight() && !queue.isEmpty()) {
      Waiting next = queue.poll();
      write(next.request(), next.promise());
    }
  }

  /** One connection attempt: connect, watch for its end, load the scripts, then serve. */
  private Future<Void> connectOnce() {
    return connectWith(client).compose(conn -> {
      if (closed) {
        conn.close();
        return Future.<Void>failedFuture(new JournalUnavailableException("journal closed"));
      }
      connection = conn;
      return Future.<Void>succeededFuture();
    });
  }

  /** A connection of {@code via}, watched for its end, scripts loaded, within the timeout. */
  private Future<RedisConnection> connectWith(Redis via) {
    return RedisConnectAttempt.start(vertx, via, scripts, options.commandTimeoutMs(),
        (conn, err) -> loop.run(() -> lost(conn, err)));
  }

  private void lost(RedisConnection conn, Throwable err) {
    if (conn != connection) {
      return;
    }
    connection = null;
    log.warn("event=redis.connection_lost url={} inFlight={} queued={} reason={}",
        redacted(options.url()), inFlight, queue.size(), err == null ? "closed" : err.toString());
    failQueued("redis connection lost");
    conn.close();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    long pause = nextPauseMs;
    nextPauseMs = Math.min(nextPauseMs * 2, options.reconnectMaxMs());
    reconnectTimer = vertx.setTimer(pause, id -> {
      reconnectTimer = -1;
      connectOnce().onComplete(ar -> {
        if (ar.succeeded()) {
          log.info("event=redis.reconnected url={} failedAttempts={}", redacted(options.url()),
              failedAttempts);
          failedAttempts = 0;
          nextPauseMs = options.reconnectInitialMs();
        } else {
          if (ar.cause() instanceof JournalTimeoutException) {
            replaceClient(); // the timed-out attempt's socket stays in the old client's pool
          }
          failedAttempts++;
          log.warn("event=redis.reconnect_failed url={} attempt={} nextPauseMs={} reason={}",
              redacted(options.url()), failedAttempts, nextPauseMs, ar.cause().toString());
          scheduleReconnect();
        }
      });
    });
  }

  private void failQueued(String why) {
    Waiting w;
    while ((w = queue.poll()) != null) {
      w.promise().tryFail(new JournalUnavailableException(why));
    }
  }

  /** The URL without credentials, for logs. */
  public static String redacted(String url) {
    return RedisUrl.redacted(url);
  }
}
