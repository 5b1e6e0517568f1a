package dev.chatrelay.loadgen.client;

import java.util.Locale;

/**
 * How the driver's relay.v1 messages travel: bare JSON text ({@code relay}), or as the payload of
 * Socket.IO events ({@code socketio}, for the bench's comparison server in bench/socketio/).
 */
public enum WireProtocol {
  /** docs/PROTOCOL.md as is: hello, acks, history API. */
  RELAY(true),
  /** Engine.IO v4 / Socket.IO v5 events carrying the same messages; no acks, no history API. */
  SOCKETIO(false);

  private final boolean relayFeatures;

  WireProtocol(boolean relayFeatures) {
    this.relayFeatures = relayFeatures;
  }

  /** Whether the server has the history API the end-of-run comparison reads. */
  public boolean hasHistoryApi() {
    return relayFeatures;
  }

  /** Whether the server takes {@code ack} messages (flow control); else the driver sends none. */
  public boolean hasAcks() {
    return relayFeatures;
  }

  public static WireProtocol parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--protocol: expected relay or socketio, got " + s);
    }
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
