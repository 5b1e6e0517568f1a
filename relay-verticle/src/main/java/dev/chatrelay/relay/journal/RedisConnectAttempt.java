package dev.chatrelay.relay.journal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One attempt at a pipeline connection: connect (the client's handshake included), watch the
 * connection for its end, load the scripts, all within a deadline. Without one, a Redis that
 * accepts TCP but never answers (a black-holed address, a server stuck before its first reply)
 * held the attempt, and with it every later reconnect, until it answered, if ever; the TCP
 * connect timeout only covers the SYN. Run it on the context that should own the connection.
 */
final class RedisConnectAttempt {

  private RedisConnectAttempt() {}

  /**
   * A connection of {@code via} with {@code scripts} loaded, or a failure: {@link
   * JournalTimeoutException} when it took longer than {@code deadlineMs} (the client then still
   * holds the unanswered socket: replace it). {@code onLost} hears the connection's end or error.
   */
  static Future<RedisConnection> start(Vertx vertx, Redis via, List<LuaScript> scripts,
      long deadlineMs, BiConsumer<RedisConnection, Throwable> onLost) {
    Promise<RedisConnection> attempt = Promise.promise();
    long timer = vertx.setTimer(deadlineMs, id -> attempt.tryFail(new JournalTimeoutException(
        "no answer while connecting within " + deadlineMs + " ms")));
    via.connect().compose(conn -> {
      conn.exceptionHandler(err -> onLost.accept(conn, err));
      conn.endHandler(v -> onLost.accept(conn, null));
      List<Future<Response>> loads = scripts.stream().map(s -> conn.send(s.load())).toList();
      return Future.all(loads).transform(ar -> {
        if (ar.failed()) {
          conn.close();
          return Future.<RedisConnection>failedFuture(ar.cause());
        }
        return Future.succeededFuture(conn);
      });
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded() && !attempt.tryComplete(ar.result())) {
        ar.result().close(); // answered after the deadline: the attempt was given up
      } else if (ar.failed()) {
        attempt.tryFail(ar.cause());
      }
    });
    return attempt.future();
  }
}
