package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.protocol.wire.ClientMessage;
import dev.chatrelay.protocol.wire.ClientMessage.Ack;
import dev.chatrelay.protocol.wire.ClientMessage.Cancel;
import dev.chatrelay.protocol.wire.ClientMessage.Hello;
import dev.chatrelay.protocol.wire.ClientMessage.Ping;
import dev.chatrelay.protocol.wire.ClientMessage.Pong;
import dev.chatrelay.protocol.wire.ClientMessage.Refresh;
import dev.chatrelay.protocol.wire.ClientMessage.Send;
import dev.chatrelay.protocol.wire.ClientMessage.Subscribe;
import dev.chatrelay.protocol.wire.ClientMessage.Unsubscribe;
import dev.chatrelay.protocol.wire.ServerMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out the valid commands of an open session. */
final class CommandHandler {

  private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

  private final Session session;

  CommandHandler(Session session) {
    this.session = session;
  }

  void handle(ClientMessage message) {
    if (message instanceof Subscribe s) {
      session.subscriptions().subscribe(s.thread(), s.epoch(), s.after());
    } else if (message instanceof Unsubscribe u) {
      session.subscriptions().unsubscribe(u.thread());
    } else if (message instanceof Ack a) {
      session.subscriptions().ack(a.thread(), a.seq());
    } else if (message instanceof Send s) {
      send(s);
    } else if (message instanceof Cancel c) {
      cancel(c);
    } else if (message instanceof Refresh r) {
      refresh(r);
    } else if (message instanceof Ping) {
      session.write(ServerMessages.pong());
    } else if (message instanceof Hello) {
      session.write(ServerMessages.error(ErrorCode.BAD_REQUEST, "hello was already received", null));
    } else if (!(message instanceof Pong)) {
      throw new IllegalStateException("unhandled message type " + message.type());
    }
  }

  private void send(Send send) {
    if (!session.services.sendQuota().tryTake(session.sub()).allowed()) {
      session.services.metrics().limited("user_send_rate");
      session.write(ServerMessages.error(ErrorCode.RATE_LIMITED, "over the user's send rate", send.id()));
      return;
    }
    ThreadKey key = new ThreadKey(session.sub(), send.thread());
    session.services.relay().send(new SendCommand(key, send.id(), send.text())).onComplete(ar -> {
      if (ar.succeeded()) {
        session.write(ServerMessages.accepted(send.id(), send.thread(), ar.result().seq()));
      } else {
        ErrorCode code = BusFailure.toErrorCode(ar.cause());
        if (code == ErrorCode.RATE_LIMITED) {
          session.services.metrics().limited("queued_replies");
          session.write(ServerMessages.error(code, "too many replies queued on this thread", send.id()));
          return;
        }
        log.warn("event=send.failed session={} thread={} id={} error={}", session.sessionId(),
            send.thread(), LogSafe.of(send.id()), ar.cause().toString());
        session.write(ServerMessages.error(code, "send failed", send.id()));
      }
    });
  }

  private void cancel(Cancel cancel) {
    ThreadKey key = new ThreadKey(session.sub(), cancel.thread());
    session.services.relay().cancel(new CancelCommand(key, cancel.replyTo())).onFailure(e -> {
      ErrorCode code = BusFailure.toErrorCode(e);
      String text = code == ErrorCode.NOT_FOUND ? "no reply in progress" : "cancel failed";
      session.write(ServerMessages.error(code, text, cancel.replyTo()));
    });
  }

  /** A token for another user, or an invalid one, closes 4401 (PROTOCOL.md). */
  private void refresh(Refresh refresh) {
    session.services.verifier().verify(refresh.token()).onComplete(ar -> {
      if (session.phase() != Session.Phase.OPEN) {
        return;
      }
      if (ar.failed()) {
        session.close(CloseCode.UNAUTHORIZED, "refresh token: " + ar.cause().getMessage());
      } else if (!ar.result().sub().equals(session.sub())) {
        session.close(CloseCode.UNAUTHORIZED, "refresh token for another sub");
      } else {
        session.refreshed(ar.result());
      }
    });
  }
}
