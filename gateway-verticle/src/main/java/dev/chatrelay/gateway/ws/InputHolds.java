package dev.chatrelay.gateway.ws;

import io.vertx.core.http.ServerWebSocket;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reasons a session's socket is not read: its hello is being checked, it was refused for the
 * rate, or its unsent output is over the buffer. The socket is read again once none holds (and
 * the session is not closing). Event-loop bound.
 */
final class InputHolds {

  private static final Logger log = LoggerFactory.getLogger(InputHolds.class);

  private final SessionServices services;
  private final ServerWebSocket ws;
  private final String sessionId;
  private final BooleanSupplier closing;
  /** Input paused while the token is checked. */
  private boolean pausedForHello;
  /** When unsent output passed the buffer and reading stopped; -1 while under it. */
  private long outputFullSince = -1;
  /** Input paused after a rate-limit rejection, until the next token is due. */
  private boolean pausedForRate;

  InputHolds(SessionServices services, ServerWebSocket ws, String sessionId, BooleanSupplier closing) {
    this.services = services;
    this.ws = ws;
    this.sessionId = sessionId;
    this.closing = closing;
  }

  /** hello received: input waits until the token is checked, so commands keep their order. */
  void holdForHello() {
    pausedForHello = true;
    ws.pause();
  }

  /** The hello is fully handled. */
  void helloDone() {
    pausedForHello = false;
    resumeIfNothingHolds();
  }

  /**
   * A message was refused for the rate: read nothing more for half a token's time. Each further
   * message is still answered (rate_limited, or 4029 once the streak has persisted), but a
   * flooder is read at about twice the rate instead of keeping an event loop busy. Half a token,
   * at most half the quiet time and a quarter of the close time, so the message read next is
   * still over the rate and the rejection streak goes on as it would.
   */
  void holdForRate() {
    if (pausedForRate || closing.getAsBoolean()) {
      return;
    }
    pausedForRate = true;
    ws.pause();
    var config = services.config();
    long delayMs = Math.max(1, Math.min(500 / config.rateLimitPerS(),
        Math.min(config.rateLimitQuietMs() / 2, config.rateLimitCloseMs() / 4)));
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null) {
      pausedForRate = false; // not on an event loop (unit tests calling in): nothing to wait on
      resumeIfNothingHolds();
      return;
    }
    context.owner().setTimer(delayMs, id -> {
      pausedForRate = false;
      resumeIfNothingHolds();
    });
  }

  /** After a write: stops reading a client that does not read its output. */
  void afterWrite() {
    // A socket the client closed (its close handler not run yet) has no queue to ask about.
    if (outputFullSince < 0 && !ws.isClosed() && ws.writeQueueFull()) {
      // The client does not read: stop reading it, so its commands cannot queue more answers.
      outputFullSince = services.clock().millis();
      ws.pause();
      services.metrics().outputFull();
      log.debug("event=session.output_full session={} pending={}", sessionId,
          OutputBuffer.pendingBytes(ws));
    }
  }

  /** The unsent output fell under half the buffer: read again (unless something else holds). */
  void outputDrained() {
    if (outputFullSince < 0 || ws.writeQueueFull()) {
      return;
    }
    outputFullSince = -1;
    resumeIfNothingHolds();
  }

  /** How long the unsent output has been over the buffer at {@code now}; -1 when it is not. */
  long outputFullForMs(long now) {
    return outputFullSince < 0 ? -1 : now - outputFullSince;
  }

  /** Reads again unless the hello check, the rate or the output still hold the input. */
  private void resumeIfNothingHolds() {
    if (!closing.getAsBoolean() && !pausedForHello && !pausedForRate && outputFullSince < 0) {
      ws.resume();
    }
  }
}
