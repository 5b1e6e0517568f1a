package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.CloseCode;

/** The client end of a session as its parts see it: write a message, or close. */
interface ClientChannel {

  /** Writes one server message (wire text); ignored once the session is closing. */
  void write(String text);

  /** Closes the connection with {@code code}; {@code detail} goes to the log only. */
  void close(CloseCode code, String detail);

  /** The session id, for logs. */
  String sessionId();
}
