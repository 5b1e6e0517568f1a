package dev.chatrelay.relay.journal;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}); when Redis does not know it ({@code NOSCRIPT}:
 * restarted, or its script cache flushed) the same call is sent once more as {@code EVAL}, which
 * also caches it again.
 */
final class LuaScript {

  private final String name;
  private final String source;
  private final String sha;

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  String name() {
    return name;
  }

  String sha() {
    return sha;
  }

  /** The Lua text (tests run it with EVAL). */
  String source() {
    return source;
  }

  /** {@code SCRIPT LOAD}: sent on every (re)connect so {@code EVALSHA} normally just works. */
  Request load() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
  }

  Future<Response> run(RedisPipeline pipe, List<String> keys, List<String> args) {
    return pipe.send(call(Command.EVALSHA, sha, keys, args)).recover(err -> {
      if (isNoScript(err)) {
        return pipe.send(call(Command.EVAL, source, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  /** The error reply {@code NOSCRIPT}: Redis does not hold the script. */
  static boolean isNoScript(Throwable err) {
    return RedisFailures.kind(err) == RedisFailures.Kind.NO_SCRIPT;
  }

  private static Request call(Command command, String script, List<String> keys,
      List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  private static String sha1(String text) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-1", e);
    }
  }
}
