package dev.chatrelay.protocol;

/** WebSocket close codes of PROTOCOL.md with the client behaviour each one asks for. */
public enum CloseCode {
  NORMAL(1000, "normal close", Policy.STOP),
  GOING_AWAY(1001, "server going away", Policy.RECONNECT_SOON),
  SERVER_ERROR(1011, "server error", Policy.RECONNECT_BACKOFF),
  RESTARTING(1012, "server restarting", Policy.RECONNECT_SOON),
  OVERLOADED(1013, "server overloaded", Policy.RECONNECT_BACKOFF),
  HEARTBEAT_TIMEOUT(4001, "heartbeat timeout", Policy.RECONNECT_BACKOFF),
  HELLO_TIMEOUT(4003, "no hello in time", Policy.RECONNECT_BACKOFF),
  SLOW_CONSUMER(4008, "slow consumer", Policy.RECONNECT_BACKOFF),
  RATE_LIMITED(4029, "rate limited", Policy.RECONNECT_BACKOFF),
  UNAUTHORIZED(4401, "token missing, invalid or expired", Policy.REFRESH_TOKEN),
  PROTOCOL_VIOLATION(4500, "protocol violation", Policy.STOP),
  FORBIDDEN(4503, "forbidden", Policy.STOP),
  TOO_LARGE(4513, "frame too large", Policy.STOP);

  /** What a client should do after this close. */
  public enum Policy { STOP, RECONNECT_SOON, RECONNECT_BACKOFF, REFRESH_TOKEN }

  private final int code;
  private final String reason;
  private final Policy policy;

  CloseCode(int code, String reason, Policy policy) {
    this.code = code;
    this.reason = reason;
    this.policy = policy;
  }

  public int code() {
    return code;
  }

  public short shortCode() {
    return (short) code;
  }

  public String reason() {
    return reason;
  }

  public Policy policy() {
    return policy;
  }

  public boolean terminal() {
    return policy == Policy.STOP;
  }

  public static CloseCode of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown close code " + code);
  }

  /** Policy of any code, including ones not in the table: 4000–4499 reconnect, 4500–4999 terminal. */
  public static Policy policyOf(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return c.policy;
      }
    }
    if (code >= 4000 && code < 4500) {
      return Policy.RECONNECT_BACKOFF;
    }
    if (code >= 4500 && code < 5000) {
      return Policy.STOP;
    }
    return Policy.RECONNECT_BACKOFF;
  }
}
