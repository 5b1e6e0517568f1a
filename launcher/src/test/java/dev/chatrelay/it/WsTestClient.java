package dev.chatrelay.it;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A raw WebSocket JSON client for black-box tests, used from the test thread: every server
 * message lands in a queue and {@link #next(String, Duration)} takes them in order. Server
 * {@code ping}s are answered and counted, not queued (unless {@code autoPong} is off); frames
 * are acked on arrival (unless {@code autoAck} is off). The close code is recorded.
 */
public final class WsTestClient implements AutoCloseable {

  /** Default wait for one expected message. */
  public static final Duration WAIT = Duration.ofSeconds(10);
  /** Largest message this client accepts; above the server's, to see what it sends. */
  private static final int CLIENT_MAX_MESSAGE = 1 << 20;

  /** How to open the connection. */
  public record Options(String uri, List<String> subProtocols, String origin, String bearer,
      boolean autoPong, boolean autoAck) {

    /** {@code /ws}, offering {@code relay.v1}, no Origin (non-browser), answers pings, acks. */
    public static Options defaults() {
      return new Options("/ws", List.of("relay.v1"), null, null, true, true);
    }

    public Options uri(String value) {
      return new Options(value, subProtocols, origin, bearer, autoPong, autoAck);
    }

    public Options subProtocols(List<String> value) {
      return new Options(uri, value, origin, bearer, autoPong, autoAck);
    }

    public Options origin(String value) {
      return new Options(uri, subProtocols, value, bearer, autoPong, autoAck);
    }

    public Options bearer(String value) {
      return new Options(uri, subProtocols, origin, value, autoPong, autoAck);
    }

    public Options autoPong(boolean value) {
      return new Options(uri, subProtocols, origin, bearer, value, autoAck);
    }

    public Options autoAck(boolean value) {
      return new Options(uri, subProtocols, origin, bearer, autoPong, value);
    }
  }

  /** What the socket delivered: a JSON message, or the close. */
  private sealed interface Event permits Message, Closed {}

  private record Message(JsonObject json) implements Event {}

  private record Closed(Short code, String reason) implements Event {}

  private final WebSocket socket;
  private final WebSocketClient client;
  private final Options options;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final AtomicInteger pings = new AtomicInteger();
  private final List<String> protocolErrors = new ArrayList<>();

  private WsTestClient(WebSocket socket, WebSocketClient client, Options options) {
    this.socket = socket;
    this.client = client;
    this.options = options;
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(b -> protocolError("binary message from server"));
    socket.closeHandler(v -> {
      Closed event = new Closed(socket.closeStatusCode(), socket.closeReason());
      events.add(event);
      closed.complete(event);
    });
  }

  /** Opens a connection; fails like the Vert.x client does (e.g. UpgradeRejectedException). */
  public static Future<WsTestClient> connect(Vertx vertx, int port, Options options) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxMessageSize(CLIENT_MAX_MESSAGE)
        .setMaxFrameSize(CLIENT_MAX_MESSAGE));
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(options.uri())
        .setSubProtocols(new ArrayList<>(options.subProtocols()))
        // Vert.x would add an Origin of its own; send one only when the test names it.
        .setAllowOriginHeader(options.origin() != null);
    if (options.origin() != null) {
      connect.addHeader("Origin", options.origin());
    }
    if (options.bearer() != null) {
      connect.addHeader("Authorization", "Bearer " + options.bearer());
    }
    // Connect from an event loop so the handlers are set in the same task that sees the
    // socket, before any message can arrive (from the test thread that would race).
    Promise<WsTestClient> opened = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.connect(connect).onComplete(ar -> {
      if (ar.succeeded()) {
        opened.complete(new WsTestClient(ar.result(), client, options));
      } else {
        client.close();
        opened.fail(ar.cause());
      }
    }));
    return opened.future();
  }

  /** Blocking connect for the test thread. */
  public static WsTestClient open(Vertx vertx, int port, Options options) {
    return connect(vertx, port, options).await();
  }

  private void onText(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      protocolError("server sent non-JSON text: " + text);
      return;
    }
    if (!(json.getValue("type") instanceof String type)) {
      protocolError("server message without a string type: " + text);
      return;
    }
    if ("ping".equals(type) && options.autoPong()) {
      pings.incrementAndGet();
      socket.writeTextMessage(new JsonObject().put("type", "pong").encode());
      return;
    }
    events.add(new Message(json));
    if ("frame".equals(type) && options.autoAck()) {
      socket.writeTextMessage(Commands.ack(json.getString("thread"), json.getLong("seq")).encode());
    } else if ("compacted".equals(type) && options.autoAck()) {
      // A compacted run counts as processed: acks may name its last seq (PROTOCOL.md).
      socket.writeTextMessage(Commands.ack(json.getString("thread"), json.getLong("to")).encode());
    }
  }

  private synchronized void protocolError(String error) {
    protocolErrors.add(error);
  }

  /** Anything the server sent that breaks the wire contract itself. */
  public synchronized List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  // ---- sending ----

  public WsTestClient send(JsonObject message) {
    return sendRaw(message.encode());
  }

  /** Sends unless the connection is (or gets) closed; false then. */
  public boolean trySend(JsonObject message) {
    if (closed.isDone()) {
      return false;
    }
    try {
      socket.writeTextMessage(message.encode()).await();
      return true;
    } catch (Exception e) { // closed meanwhile: await rethrows the write failure
      return false;
    }
  }

  public WsTestClient sendRaw(String text) {
    write(socket.writeTextMessage(text));
    return this;
  }

  /**
   * One text message split into WebSocket frames of {@code fragment} bytes (ASCII text). Stops
   * early when the server closes mid-message (e.g. 4513 once the size limit is passed).
   */
  public WsTestClient sendFragmented(String text, int fragment) {
    for (int start = 0; start < text.length(); start += fragment) {
      int end = Math.min(text.length(), start + fragment);
      boolean last = end == text.length();
      String part = text.substring(start, end);
      WebSocketFrame frame = start == 0
          ? WebSocketFrame.textFrame(part, last)
          : WebSocketFrame.continuationFrame(Buffer.buffer(part), last);
      if (!write(socket.writeFrame(frame))) {
        return this;
      }
    }
    return this;
  }

  /** True once the close arrived, waiting up to {@code timeout} for it. */
  private boolean closedWithin(Duration timeout) {
    try {
      closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public WsTestClient sendBinary(Buffer data) {
    write(socket.writeBinaryMessage(data));
    return this;
  }

  /**
   * Waits for a write; false when it failed because the server closed the connection (e.g. a
   * 4513 while a large message was still going out): the close code is what tests check then.
   */
  private boolean write(Future<Void> written) {
    try {
      written.await();
      return true;
    } catch (RuntimeException e) {
      if (closedWithin(WAIT)) {
        return false;
      }
      throw e;
    }
  }

  /** Sends {@code hello} and returns the {@code welcome}. */
  public JsonObject hello(String token) {
    send(Commands.hello(token));
    return next("welcome");
  }

  /** Sends {@code hello} with resume entries and returns the {@code welcome}. */
  public JsonObject hello(String token, JsonArray resume) {
    send(Commands.hello(token).put("resume", resume));
    return next("welcome");
  }

  // ---- receiving ----

  /** The next message, whatever its type; fails when the connection closes first. */
  public JsonObject next(Duration timeout) {
    Event event = poll(timeout);
    if (event == null) {
      throw new AssertionError("no message within " + timeout.toMillis() + " ms");
    }
    if (event instanceof Closed c) {
      throw new AssertionError("connection closed (" + c.code() + " " + c.reason()
          + ") while a message was expected");
    }
    return ((Message) event).json();
  }

  public JsonObject next() {
    return next(WAIT);
  }

  /** The next message, which must be of {@code type}. */
  public JsonObject next(String type, Duration timeout) {
    JsonObject message = next(timeout);
    if (!type.equals(message.getString("type"))) {
      throw new AssertionError("expected " + type + " but got " + message.encode());
    }
    return message;
  }

  public JsonObject next(String type) {
    return next(type, WAIT);
  }

  /** Skips messages until one of {@code type}; returns it. */
  public JsonObject skipUntil(String type, Duration timeout) {
    return skipUntil(m -> type.equals(m.getString("type")), timeout);
  }

  public JsonObject skipUntil(Predicate<JsonObject> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject message = next(Duration.ofNanos(Math.max(left, 0)));
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  /** Collects messages until one matches {@code last} (included). */
  public List<JsonObject> until(Predicate<JsonObject> last, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> messages = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject message = next(Duration.ofNanos(Math.max(left, 0)));
      messages.add(message);
      if (last.test(message)) {
        return messages;
      }
    }
  }

  /** Null when nothing arrives within {@code timeout}: for asserting that nothing is sent. */
  public JsonObject poll(Duration timeout, boolean closeIsAnError) {
    Event event = poll(timeout);
    if (event instanceof Closed c) {
      if (closeIsAnError) {
        throw new AssertionError("connection closed (" + c.code() + ")");
      }
      return null;
    }
    return event == null ? null : ((Message) event).json();
  }

  private Event poll(Duration timeout) {
    try {
      Event event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (event instanceof Closed) {
        events.add(event); // stays visible to later calls
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Waits for the server's close, skipping messages still queued; returns the close code. */
  public int awaitClose(Duration timeout) {
    try {
      Closed c = closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return c.code() == null ? -1 : c.code();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("connection not closed within " + timeout.toMillis() + " ms");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public int awaitClose() {
    return awaitClose(WAIT);
  }

  /** Messages received and not yet taken (the close excluded). */
  public List<JsonObject> drainQueued() {
    List<Event> taken = new ArrayList<>();
    events.drainTo(taken);
    List<JsonObject> messages = new ArrayList<>();
    for (Event event : taken) {
      if (event instanceof Message m) {
        messages.add(m.json());
      } else {
        events.add(event); // the close stays visible
      }
    }
    return messages;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** The close code, or null while open (or when the close carried none). */
  public Short closeCode() {
    return closed.isDone() ? closed.join().code() : null;
  }

  public String closeReason() {
    return closed.isDone() ? closed.join().reason() : null;
  }

  public int pingsAnswered() {
    return pings.get();
  }

  /** The subprotocol the server selected, or null. */
  public String subProtocol() {
    String selected = socket.subProtocol();
    return selected == null || selected.isEmpty() ? null : selected;
  }

  // ---- ending ----

  /** Closes the TCP connection without a close frame: what a network drop looks like. */
  public void drop() {
    if (!(socket instanceof WebSocketInternal internal)) {
      throw new IllegalStateException("cannot reach the channel of " + socket.getClass());
    }
    // Unsafe close bypasses the pipeline, whose handlers would send a close frame first.
    Channel channel = internal.channelHandlerContext().channel();
    channel.eventLoop().execute(() -> channel.unsafe().close(channel.voidPromise()));
    awaitClose();
    client.close();
  }

  /** A clean client-side close (1000 unless given). */
  public void close(int code) {
    if (!closed.isDone()) {
      socket.close((short) code).await();
      awaitClose();
    }
    client.close();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close().otherwiseEmpty().await();
    }
    client.close();
  }
}
