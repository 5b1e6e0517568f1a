package dev.chatrelay.loadgen.client;

import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.report.RunStats;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One WebSocket of a simulated client: hello (optionally resuming), subscriptions of its thread
 * views, frame checking, cumulative batched acks ({@link AckBatcher}), pong answers. Confined to
 * one event loop.
 * With {@link WireProtocol#SOCKETIO} the same messages ride in Socket.IO events ({@link EngineIo}):
 * the token goes in the connect packet, whose answer stands for {@code welcome}; no acks.
 */
public final class DriverConnection {

  /** Close code recorded when the socket ended without a close frame. */
  public static final int ABNORMAL_CLOSE = 1006;

  private final Connector connector;
  private final String name;
  private final String token;
  private final boolean resume;
  private final Map<String, ViewSubscription> subscriptions = new LinkedHashMap<>();
  private final ServerMessage message = new ServerMessage();
  private final RunStats stats;
  private final Violations violations;
  private final AckBatcher acks;
  private final WireProtocol protocol;
  private final SocketIoInbound socketIo;
  private final ContextInternal context;
  private final Promise<Void> ready;
  private final Promise<Integer> closed;
  private WebSocket ws;
  private final TextReassembly texts;
  private int awaitingSubscribed;
  private volatile boolean expectingClose;

  /**
   * @param resume true: the views' cursors go in {@code hello.resume}; false: one
   *     {@code subscribe} per view after {@code welcome}.
   */
  public DriverConnection(Connector connector, String name, String token, List<ThreadView> views,
      boolean resume) {
    this.connector = connector;
    this.name = name;
    this.token = token;
    this.resume = resume;
    this.stats = connector.stats();
    this.violations = connector.violations();
    this.protocol = connector.protocol();
    this.socketIo = protocol == WireProtocol.RELAY ? null : new SocketIoInbound(token,
        packet -> ws.writeTextMessage(packet), this::onWelcome, what -> violations.add(name, what));
    this.context = connector.nextLoop();
    this.ready = context.promise();
    this.closed = context.promise();
    for (ThreadView v : views) {
      subscriptions.put(v.thread(), new ViewSubscription(v));
    }
    this.awaitingSubscribed = subscriptions.size();
    this.acks = new AckBatcher(subscriptions.values(), connector.ackPolicy(), connector.vertx(),
        () -> ws);
    this.texts = new TextReassembly(this::onText, what -> violations.add(name, what));
  }

  public String name() {
    return name;
  }

  /** Runs {@code task} on this connection's event loop. */
  public void run(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** Runs {@code task} on this connection's event loop; completes once it ran. */
  public Future<Void> call(Runnable task) {
    Promise<Void> done = context.promise();
    context.runOnContext(v -> {
      task.run();
      done.complete();
    });
    return done.future();
  }

  /** Connects; the future completes once every view got {@code subscribed} (or reset). */
  public Future<Void> open() {
    context.runOnContext(v -> connect());
    return ready.future();
  }

  /** Completes with the close code once the socket is gone. */
  public Future<Integer> closed() {
    return closed.future();
  }

  /** Sends {@code text} with client id {@code id} on {@code view}'s thread; call on this loop. */
  public void send(ThreadView view, String id, String text) {
    if (ws == null || ws.isClosed()) {
      return;
    }
    view.onSent(id);
    stats.send();
    acks.flush(); // acks ride along with the send instead of costing a write of their own later
    write("send", ClientMessages.send(view.thread(), id, text));
  }

  /** Drops the TCP connection without a close handshake, as a network cut would. */
  public Future<Integer> cut() {
    context.runOnContext(v -> cutNow());
    return closed.future();
  }

  /** {@link #cut()} from this connection's event loop, at once. */
  public void cutNow() {
    expectingClose = true;
    if (ws instanceof WebSocketInternal internal) {
      // Through the pipeline Vert.x turns close() into a close handshake: close the socket below it.
      Channel channel = internal.channelHandlerContext().channel();
      channel.unsafe().close(channel.unsafe().voidPromise());
    } else if (ws != null) {
      ws.close();
    }
  }

  /** Normal close (1000) at the end of a run. */
  public Future<Integer> close() {
    expectingClose = true;
    context.runOnContext(v -> {
      if (ws != null && !ws.isClosed()) {
        ws.close();
      } else if (ws == null) {
        closed.tryComplete(ABNORMAL_CLOSE);
      }
    });
    return closed.future();
  }

  private void connect() {
    ClientWebSocket socket = connector.client().webSocket();
    // Whole frames as bytes: the parser reads UTF-8 directly, no String per message.
    socket.frameHandler(texts::accept);
    socket.exceptionHandler(e -> {
      if (!expectingClose) {
        stats.error("ws_exception");
      }
    });
    socket.closeHandler(v -> onClose(socket.closeStatusCode(), socket.closeReason()));
    socket.connect(connector.connectOptions()).onComplete(ar -> {
      if (ar.failed()) {
        stats.connectFailure();
        ready.tryFail(ar.cause());
        closed.tryComplete(ABNORMAL_CLOSE);
        return;
      }
      ws = ar.result();
      if (protocol == WireProtocol.RELAY) { // Socket.IO: the server's open packet comes first
        ws.writeTextMessage(ClientMessages.hello(token, resume ? resumeEntries() : List.of()));
      }
    });
  }

  private List<ClientMessages.Resume> resumeEntries() {
    List<ClientMessages.Resume> entries = new ArrayList<>(subscriptions.size());
    for (ViewSubscription s : subscriptions.values()) {
      entries.add(new ClientMessages.Resume(s.view.thread(), s.view.epoch(), s.after));
    }
    return entries;
  }

  /** A client message of type {@code type}, as bare JSON or inside a Socket.IO event. */
  private void write(String type, String json) {
    ws.writeTextMessage(protocol == WireProtocol.RELAY ? json : EngineIo.event(type, json));
  }

  private void onText(byte[] packet) {
    byte[] utf8 = socketIo == null ? packet : socketIo.accept(packet);
    if (utf8 == null) {
      return;
    }
    ServerMessage m = message;
    try {
      MessageParser.parse(utf8, m);
    } catch (IOException e) {
      violations.add(name, "unparsable server message: " + e.getMessage());
      return;
    }
    if (m.type == null) {
      violations.add(name, "server message without type");
      return;
    }
    switch (m.type) {
      case "frame" -> onFrame(m);
      case "compacted" -> onCompacted(m);
      case "ping" -> write("pong", ClientMessages.PONG);
      case "welcome" -> onWelcome();
      case "subscribed" -> onSubscribed(m);
      case "reset" -> onReset(m);
      case "accepted" -> onAccepted(m);
      case "error" -> onError(m);
      case "token_expiring" -> stats.error("token_expiring");
      default -> { } // pong, refreshed, unsubscribed and extensions need nothing
    }
  }

  private void onWelcome() {
    if (resume) {
      return;
    }
    for (ViewSubscription s : subscriptions.values()) {
      write("subscribe", ClientMessages.subscribe(s.view.thread(), s.view.epoch(), s.after));
    }
  }

  private void onSubscribed(ServerMessage m) {
    ViewSubscription s = subscription(m);
    if (s != null) {
      s.view.onSubscribed(m, s.after);
      answered();
    }
  }

  private void onReset(ServerMessage m) {
    ViewSubscription s = subscription(m);
    if (s != null) {
      s.view.onReset(m);
      answered();
    }
  }

  private void answered() {
    if (--awaitingSubscribed == 0) {
      ready.tryComplete();
    }
  }

  private void onAccepted(ServerMessage m) {
    ViewSubscription s = subscription(m);
    if (s != null) {
      s.view.onAccepted(m);
    }
  }

  private void onError(ServerMessage m) {
    stats.error(m.code);
    violations.add(name, "error " + m.code + " ref=" + m.ref + ": " + m.message);
  }

  private void onFrame(ServerMessage m) {
    ViewSubscription s = subscription(m);
    if (s == null || !s.view.onFrame(m)) {
      return;
    }
    stats.frame(m.ts);
    if (!protocol.hasAcks()) {
      return;
    }
    acks.processed(s);
  }

  /** A compacted run counts as processed: the cursor moves to its end, acked like a frame. */
  private void onCompacted(ServerMessage m) {
    ViewSubscription s = subscription(m);
    if (s != null && s.view.onCompacted(m)) {
      stats.compactedRun();
      acks.ack(s);
    }
  }

  private ViewSubscription subscription(ServerMessage m) {
    ViewSubscription s = m.thread == null ? null : subscriptions.get(m.thread);
    if (s == null) {
      violations.add(name, "message for a thread this connection does not hold: " + m.describe());
    }
    return s;
  }

  private void onClose(Short code, String reason) {
    int c = code == null ? ABNORMAL_CLOSE : code;
    stats.close(c);
    for (ViewSubscription s : subscriptions.values()) {
      s.view.onDisconnected();
    }
    if (!expectingClose) {
      violations.add(name, "closed by the server: " + c + " " + reason);
    }
    ready.tryFail("closed with " + c + " before subscribed");
    closed.tryComplete(c);
  }
}
