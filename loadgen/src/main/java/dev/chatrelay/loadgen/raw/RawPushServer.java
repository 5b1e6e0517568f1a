package dev.chatrelay.loadgen.raw;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw push baseline: a minimal Vert.x WebSocket server that speaks just enough of
 * PROTOCOL.md for the driver (hello → welcome, subscribe/resume → subscribed + replay from memory,
 * send → accepted + the whole scripted reply pushed at once) and answers the history API from
 * memory. No journal, no acks, no window, no event bus: what "bare Vert.x" costs on this box.
 */
public final class RawPushServer {

  private static final Logger LOG = LoggerFactory.getLogger(RawPushServer.class);
  private static final Pattern THREAD_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern FRAMES_PATH = Pattern.compile("^/api/threads/([^/]+)/frames$");

  /**
   * @param port 0 = random
   * @param secret HS256 secret; null = tokens decoded without verification
   * @param chunks chunks per scripted reply
   * @param retention frames kept per thread
   * @param dropSeq broken mode: skip pushing the first frame with this seq once (0 = off)
   */
  public record Options(int port, String secret, int chunks, int retention, long dropSeq) {
    /** Chunks per scripted reply, as RELAY_SCRIPTED_CHUNKS. */
    public static final int DEFAULT_CHUNKS = 8;
    /** Frames kept per thread, as RELAY_RETENTION_FRAMES. */
    public static final int DEFAULT_RETENTION = 1000;
    /** Largest history page. */
    static final int MAX_PAGE = 1000;
    /** History page size when no limit is given. */
    static final int DEFAULT_PAGE = 100;
    /** A thread with no subscriber for this long is forgotten, so repeated runs do not fill the heap (ms). */
    static final long IDLE_EVICT_MS = 60_000;
    /** How often idle threads are looked for (ms). */
    static final long EVICT_CHECK_MS = 10_000;

    public static Options defaults(int port, String secret) {
      return new Options(port, secret, DEFAULT_CHUNKS, DEFAULT_RETENTION, 0);
    }

    public Options withDropSeq(long seq) {
      return new Options(port, secret, chunks, retention, seq);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final RawAuth auth;
  private final FrameDrop drop;
  private final Map<String, RawThread> threads = new ConcurrentHashMap<>();
  private HttpServer server;
  private long evictTimer = -1;

  public RawPushServer(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.auth = new RawAuth(options.secret());
    this.drop = new FrameDrop(options.dropSeq());
  }

  /** Listens; completes with the bound port. */
  public Future<Integer> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(options.port())
        .setHost("127.0.0.1")
        .addWebSocketSubProtocol("relay.v1"));
    evictTimer = vertx.setPeriodic(Options.EVICT_CHECK_MS, id -> evictIdle());
    return server.requestHandler(this::onRequest).listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    vertx.cancelTimer(evictTimer);
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void evictIdle() {
    long now = System.currentTimeMillis();
    int before = threads.size();
    for (String key : threads.keySet()) {
      threads.computeIfPresent(key, (k, t) -> t.idle(now, Options.IDLE_EVICT_MS) ? null : t);
    }
    if (threads.size() < before) {
      LOG.info("event=threads.evicted evicted={} kept={}", before - threads.size(), threads.size());
    }
  }

  /** True once the broken mode has dropped its frame. */
  public boolean dropped() {
    return drop.dropped();
  }

  RawAuth auth() {
    return auth;
  }

  int chunks() {
    return options.chunks();
  }

  RawThread thread(String sub, String thread) {
    return threads.computeIfAbsent(sub + '\u0000' + thread, k -> new RawThread(thread,
        Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36), options.retention(), drop));
  }

  static boolean validThread(String thread) {
    return thread != null && THREAD_ID.matcher(thread).matches();
  }

  private void onRequest(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/ws")) {
      String header = bearer(req);
      req.toWebSocket().onSuccess(ws -> new RawSession(this, ws, header))
          .onFailure(t -> LOG.debug("event=upgrade.failed cause={}", t.toString()));
      return;
    }
    if (path.equals("/healthz") || path.equals("/readyz")) {
      req.response().end("ok");
      return;
    }
    var m = FRAMES_PATH.matcher(path);
    if (m.matches()) {
      history(req, m.group(1));
      return;
    }
    error(req, 404, "not_found", "no such resource");
  }

  private void history(HttpServerRequest req, String thread) {
    String token = bearer(req);
    RawAuth.Claims claims = token == null ? null : auth.check(token);
    if (claims == null) {
      error(req, 401, "unauthorized", "bearer token missing or invalid");
      return;
    }
    if (!validThread(thread)) {
      error(req, 400, "bad_request", "invalid thread id");
      return;
    }
    long after;
    int limit;
    try {
      after = Long.parseLong(req.getParam("after", "0"));
      limit = Math.min(Options.MAX_PAGE, Integer.parseInt(req.getParam("limit", Integer.toString(Options.DEFAULT_PAGE))));
    } catch (NumberFormatException e) {
      error(req, 400, "bad_request", "after and limit must be integers");
      return;
    }
    if (after < 0 || limit < 1) {
      error(req, 400, "bad_request", "after must be ≥ 0 and limit ≥ 1");
      return;
    }
    req.response().putHeader("content-type", "application/json").end(thread(claims.sub(), thread).page(after, limit));
  }

  private static String bearer(HttpServerRequest req) {
    String h = req.getHeader("Authorization");
    return h != null && h.toLowerCase(Locale.ROOT).startsWith("bearer ") ? h.substring(7).trim() : null;
  }

  private static void error(HttpServerRequest req, int status, String code, String message) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(RawFrames.error(code, message, null).replace("\"type\":\"error\",", ""));
  }

  /**
   * Standalone: {@code --port P} (8090), {@code --secret S} (none: tokens decoded only),
   * {@code --event-loops N}, {@code --drop-seq N} (broken mode), {@code --native-transport B}
   * (false: stock NIO, like a default Vert.x server).
   */
  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    int port = 8090;
    String secret = null;
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    long dropSeq = 0;
    boolean nativeTransport = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--secret" -> secret = args[i + 1];
        case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
        case "--drop-seq" -> dropSeq = Long.parseLong(args[i + 1]);
        case "--native-transport" -> nativeTransport = Boolean.parseBoolean(args[i + 1]);
        default -> {
          System.err.println("usage: RawPushServer [--port P] [--secret S] [--event-loops N] [--drop-seq N] [--native-transport B]");
          System.exit(2);
        }
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(nativeTransport));
    RawPushServer s = new RawPushServer(vertx, Options.defaults(port, secret).withDropSeq(dropSeq));
    int bound = s.start().await();
    System.out.println("READY raw push server on 127.0.0.1:" + bound + " transport "
        + (vertx.isNativeTransportEnabled() ? "epoll" : "nio") + (secret == null ? " (tokens not verified)" : ""));
  }
}
