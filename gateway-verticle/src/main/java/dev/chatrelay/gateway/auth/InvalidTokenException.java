package dev.chatrelay.gateway.auth;

/** A token was missing or failed a check; the message says which check, never the token. */
public final class InvalidTokenException extends RuntimeException {

  public InvalidTokenException(String reason) {
    super(reason, null, false, false);
  }
}
