package dev.chatrelay.gateway.ws;

import dev.chatrelay.gateway.auth.VerifiedToken;
import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.logic.HeartbeatWatch;
import dev.chatrelay.protocol.logic.RateLimiter;
import dev.chatrelay.protocol.logic.TokenExpiryWatch;
import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.protocol.wire.ServerMessages;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: its phase, its user once authenticated, its timers' state and its
 * subscriptions. All of it lives on the event loop of the verticle instance that accepted it.
 */
final class Session implements ClientChannel, MessageAssembler.Sink {

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum Phase {
    /** Upgraded; waiting for {@code hello}. */
    AWAITING_HELLO,
    /** {@code hello} received, token being verified; input paused. */
    AUTHENTICATING,
    /** {@code welcome} sent. */
    OPEN,
    /** A close was started; nothing more is read or written. */
    CLOSING
  }

  final SessionServices services;
  final long conn;
  private final String id;
  private final ServerWebSocket ws;
  /** From {@code Authorization: Bearer} on the upgrade; used when hello has no token. Never logged. */
  final String headerToken;
  private final long openedAt;
  private final MessageAssembler assembler;
  private final InboundHandler inbound;
  private Phase phase = Phase.AWAITING_HELLO;
  private String sub;
  /** True once this session counts toward its user's connections of this process. */
  private boolean counted;
  private HeartbeatWatch heartbeat;
  private TokenExpiryWatch expiry;
  /** From the upgrade on: malformed hellos count too (PROTOCOL.md). */
  private final RateLimiter limiter;
  private Subscriptions subscriptions;
  private final InputHolds input;

  Session(SessionServices services, long conn, ServerWebSocket ws, String headerToken) {
    this.services = services;
    this.conn = conn;
    this.id = services.gatewayId() + "-" + conn;
    this.ws = ws;
    this.headerToken = headerToken;
    this.openedAt = services.clock().millis();
    this.assembler = new MessageAssembler(services.config().maxFrameBytes(), this);
    this.inbound = new InboundHandler(this);
    var config = services.config();
    this.limiter = new RateLimiter(config.rateLimitPerS(), config.rateLimitBurst(),
        config.rateLimitCloseMs(), config.rateLimitQuietMs(), services.clock());
    this.input = new InputHolds(services, ws, id, () -> phase == Phase.CLOSING);
  }

  /** Wires the socket's handlers; from here on the session is live. */
  void start() {
    ws.frameHandler(assembler::onFrame);
    ws.exceptionHandler(e -> log.debug("event=ws.error session={} error={}", id, e.toString()));
    ws.closeHandler(v -> onClosed());
    ws.drainHandler(v -> input.outputDrained());
    OutputBuffer.install(ws, services.config().limits().outputBufferBytes());
    services.metrics().connectionOpened();
  }

  @Override
  public String sessionId() {
    return id;
  }

  Phase phase() {
    return phase;
  }

  String sub() {
    return sub;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  RateLimiter limiter() {
    return limiter;
  }

  TokenExpiryWatch expiry() {
    return expiry;
  }

  /** hello received: input waits until the token is checked, so commands keep their order. */
  void authenticating() {
    phase = Phase.AUTHENTICATING;
    input.holdForHello();
  }

  /**
   * The token is valid: {@code welcome}, heartbeats and limits start; false when the user
   * already has the most connections this process allows (closed 4029, PROTOCOL.md Limits).
   */
  boolean open(VerifiedToken token) {
    var config = services.config();
    var clock = services.clock();
    if (!services.connections().tryAcquire(token.sub())) {
      log.info("event=session.refused session={} sub={} reason=connections_per_user max={}", id,
          LogSafe.of(token.sub()), config.limits().maxConnectionsPerUser());
      close(CloseCode.RATE_LIMITED, "more than " + config.limits().maxConnectionsPerUser()
          + " connections of this user");
      return false;
    }
    counted = true;
    phase = Phase.OPEN;
    sub = token.sub();
    heartbeat = new HeartbeatWatch(config.heartbeatMs(), clock);
    expiry = new TokenExpiryWatch(config.tokenExpiringMs(), config.jwtLeewayMs(), clock);
    expiry.track(token.exp());
    subscriptions = new Subscriptions(services, this, conn, sub);
    services.registry().bindUser(this);
    write(ServerMessages.welcome(id, config.heartbeatMs(), token.exp()));
    log.info("event=session.open session={} sub={} exp={}", id, LogSafe.of(sub), token.exp());
    checkExpiry();
    return true;
  }

  /** Reads the client's next messages; called once hello is fully handled. */
  void resumeInput() {
    input.helloDone();
  }

  /** A message was refused for the rate: read nothing more for a while (see {@link InputHolds}). */
  void pauseForRate() {
    input.holdForRate();
  }

  /** A refreshed token for the same user: a new expiry, warned again before it. */
  void refreshed(VerifiedToken token) {
    expiry.track(token.exp());
    write(ServerMessages.refreshed(token.exp()));
    checkExpiry();
  }

  @Override
  public void write(String text) {
    if (phase == Phase.CLOSING) {
      return;
    }
    ws.writeTextMessage(text);
    if (heartbeat != null) {
      heartbeat.sent();
    }
    input.afterWrite();
  }

  @Override
  public void close(CloseCode code, String detail) {
    close(code.code(), code.reason(), detail);
  }

  /** Closes with any code, e.g. one a relay asked for. */
  void close(int code, String reason, String detail) {
    if (phase == Phase.CLOSING) {
      return;
    }
    phase = Phase.CLOSING;
    log.info("event=session.close session={} sub={} code={} detail={}", id, LogSafe.of(sub), code,
        LogSafe.of(detail));
    services.metrics().closed(code, "server");
    ws.close((short) code, reason);
  }

  /** Called by the sweep: slow consumer, hello timeout, token expiry, heartbeats. */
  void tick() {
    long slowMs = services.config().limits().slowConsumerMs();
    if (phase != Phase.CLOSING && input.outputFullForMs(services.clock().millis()) >= slowMs) {
      close(CloseCode.SLOW_CONSUMER, "unsent output over the buffer for " + slowMs + " ms");
      return;
    }
    switch (phase) {
      case AWAITING_HELLO, AUTHENTICATING -> {
        if (services.clock().millis() - openedAt >= services.config().helloTimeoutMs()) {
          close(CloseCode.HELLO_TIMEOUT, "no hello within " + services.config().helloTimeoutMs() + " ms");
        }
      }
      case OPEN -> {
        if (checkExpiry()) {
          switch (heartbeat.poll()) {
            case PING -> write(ServerMessages.ping());
            case CLOSE -> close(CloseCode.HEARTBEAT_TIMEOUT, "silent for 2 heartbeats");
            case NONE -> { }
          }
        }
      }
      case CLOSING -> { }
    }
  }

  /** Warns or closes for the token's expiry; false when the session closed. */
  private boolean checkExpiry() {
    switch (expiry.poll()) {
      case WARN -> write(ServerMessages.tokenExpiring(expiry.exp()));
      case CLOSE -> {
        close(CloseCode.UNAUTHORIZED, "token expired");
        return false;
      }
      case NONE -> { }
    }
    return true;
  }

  @Override
  public void onText(String text) {
    if (phase == Phase.CLOSING) {
      return;
    }
    if (heartbeat != null) {
      heartbeat.received();
    }
    services.metrics().messageIn();
    inbound.onMessage(text);
  }

  @Override
  public void onBinary() {
    close(CloseCode.PROTOCOL_VIOLATION, "binary message");
  }

  @Override
  public void onTooLarge(long bytes) {
    close(CloseCode.TOO_LARGE, "message of at least " + bytes + " bytes");
  }

  @Override
  public void onControl() {
    if (heartbeat != null) {
      heartbeat.received();
    }
  }

  private void onClosed() {
    if (phase != Phase.CLOSING) {
      Short code = ws.closeStatusCode();
      int clientCode = code == null ? 1006 : code;
      log.info("event=session.closed_by_client session={} sub={} code={}", id, LogSafe.of(sub), clientCode);
      services.metrics().closed(clientCode, "client");
      phase = Phase.CLOSING;
    }
    if (subscriptions != null) {
      subscriptions.closeAll();
    }
    services.registry().remove(this);
    if (counted) {
      counted = false;
      services.connections().release(sub);
    }
    services.metrics().connectionClosed();
  }
}
