package dev.chatrelay.loadgen.client;

import java.util.function.Consumer;

/**
 * The Socket.IO side of one driver connection: answers the open packet with a connect carrying
 * the token, pings with pongs, reports the connect's answer, and unwraps events.
 */
final class SocketIoInbound {

  private final String token;
  private final Consumer<String> reply;
  private final Runnable onConnected;
  private final Consumer<String> onViolation;

  SocketIoInbound(String token, Consumer<String> reply, Runnable onConnected, Consumer<String> onViolation) {
    this.token = token;
    this.reply = reply;
    this.onConnected = onConnected;
    this.onViolation = onViolation;
  }

  /** The relay.v1 message inside {@code packet}, or null when it was a transport packet. */
  byte[] accept(byte[] packet) {
    switch (EngineIo.kind(packet)) {
      case OPEN -> reply.accept(EngineIo.connect(token));
      case PING -> reply.accept(EngineIo.PONG);
      case CONNECTED -> onConnected.run();
      case EVENT -> {
        byte[] payload = EngineIo.eventPayload(packet);
        if (payload == null) {
          onViolation.accept("Socket.IO event without an object payload: " + EngineIo.describe(packet));
        }
        return payload;
      }
      default -> onViolation.accept("unexpected Socket.IO packet: " + EngineIo.describe(packet));
    }
    return null;
  }
}
