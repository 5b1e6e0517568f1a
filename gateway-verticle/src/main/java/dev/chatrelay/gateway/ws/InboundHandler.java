package dev.chatrelay.gateway.ws;

import dev.chatrelay.gateway.auth.VerifiedToken;
import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.protocol.wire.ClientMessage;
import dev.chatrelay.protocol.wire.ClientMessage.Hello;
import dev.chatrelay.protocol.wire.ClientMessageDecoder;
import dev.chatrelay.protocol.wire.DecodeResult;
import dev.chatrelay.protocol.wire.DecodeResult.Command;
import dev.chatrelay.protocol.wire.DecodeResult.Rejected;
import dev.chatrelay.protocol.wire.DecodeResult.Violation;
import dev.chatrelay.protocol.wire.ServerMessages;
import io.vertx.core.AsyncResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what each complete client message means for its session: the hello handshake first,
 * then the rate limit, then the command. Bad input follows PROTOCOL.md: a message that is not
 * an object with a string type closes 4500, a bad command answers an error and the connection
 * stays.
 */
final class InboundHandler {

  private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

  private final Session session;
  private final CommandHandler commands;

  InboundHandler(Session session) {
    this.session = session;
    this.commands = new CommandHandler(session);
  }

  void onMessage(String text) {
    DecodeResult result = ClientMessageDecoder.decode(text);
    if (result instanceof Violation v) {
      session.close(CloseCode.PROTOCOL_VIOLATION, v.reason());
      return;
    }
    switch (session.phase()) {
      case AWAITING_HELLO -> beforeHello(result);
      case OPEN -> afterHello(result);
      case AUTHENTICATING, CLOSING -> { } // input is paused while authenticating
    }
  }

  private void beforeHello(DecodeResult result) {
    if (result instanceof Command c && c.message() instanceof Hello hello) {
      hello(hello);
    } else if (result instanceof Rejected r && Hello.TYPE.equals(r.type())) {
      if (withinRate(result)) {
        session.write(ServerMessages.error(r.code(), r.message(), r.ref())); // still waiting for a good hello
      }
    } else {
      session.close(CloseCode.PROTOCOL_VIOLATION, "first message is not hello");
    }
  }

  private void hello(Hello hello) {
    String token = hello.token() != null ? hello.token() : session.headerToken;
    if (token == null) {
      session.close(CloseCode.UNAUTHORIZED, "no token in hello or upgrade header");
      return;
    }
    session.authenticating();
    session.services.verifier().verify(token).onComplete(ar -> authenticated(hello, ar));
  }

  private void authenticated(Hello hello, AsyncResult<VerifiedToken> ar) {
    if (session.phase() != Session.Phase.AUTHENTICATING) {
      return; // closed meanwhile (hello timeout, drain)
    }
    if (ar.failed()) {
      session.close(CloseCode.UNAUTHORIZED, "hello token: " + ar.cause().getMessage());
      return;
    }
    if (!session.open(ar.result())) {
      return; // over the user's connections: closed 4029
    }
    session.subscriptions().resume(hello.resume());
    session.resumeInput();
  }

  private void afterHello(DecodeResult result) {
    boolean counts = !(result instanceof Command c) || ClientMessage.countsTowardRateLimit(c.message());
    if (counts && !withinRate(result)) {
      return;
    }
    if (result instanceof Rejected r) {
      log.debug("event=command.rejected session={} type={} code={}", session.sessionId(),
          LogSafe.of(r.type()), r.code().wire());
      session.write(ServerMessages.error(r.code(), r.message(), r.ref()));
      return;
    }
    commands.handle(((Command) result).message());
  }

  /**
   * Counts one message against the connection's rate (PROTOCOL.md: every message but a valid
   * ack or pong); false when it was refused (answered rate_limited, or closed 4029).
   */
  private boolean withinRate(DecodeResult result) {
    switch (session.limiter().onCommand()) {
      case ALLOW -> {
        return true;
      }
      case REJECT -> {
        session.services.metrics().limited("command_rate");
        session.write(ServerMessages.error(ErrorCode.RATE_LIMITED, "over the command rate", refOf(result)));
        session.pauseForRate();
        return false;
      }
      default -> {
        session.close(CloseCode.RATE_LIMITED, "over the command rate for too long");
        return false;
      }
    }
  }

  private static String refOf(DecodeResult result) {
    return result instanceof Command c ? c.message().ref() : ((Rejected) result).ref();
  }
}
