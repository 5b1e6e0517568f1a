package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.CloseCode;
import dev.chatrelay.protocol.bus.SubscribeAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes a live thread again under a new sid, keeping its cursor: after a gap from the last
 * delivered seq (the relay replays what is missing), after a shard move from the last acked seq
 * (the new owner's window counts exactly what the client still has to ack). Event-loop bound.
 */
final class Resubscriber {

  private static final Logger log = LoggerFactory.getLogger(Resubscriber.class);

  private final SubscriptionTable table;

  Resubscriber(SubscriptionTable table) {
    this.table = table;
  }

  /** The thread's shard has a new owner: subscribe there, once the first answer is in. */
  void shardMoved(ThreadSubscription s) {
    if (table.closed()) {
      return;
    }
    if (!s.answered()) {
      // The request is retried until some relay answers; if the old owner did, go again.
      s.movedBeforeAnswer = true;
      return;
    }
    table.services.metrics().moved();
    resubscribe(s, s.cursor().lastAcked(), "moved");
  }

  /** The same cursor under a new sid from {@code after}. */
  void resubscribe(ThreadSubscription s, long after, String why) {
    ClientChannel client = table.client;
    long sid = table.newSid();
    s.sid = sid;
    log.info("event=resubscribe.start session={} thread={} sid={} after={} reason={}", client.sessionId(),
        s.thread, sid, after, why);
    table.services.relay().subscribe(table.command(s, after)).onComplete(ar -> {
      if (table.closed()) {
        table.forgetIfSubscribed(s, ar);
        return;
      }
      if (!table.isCurrent(s) || s.sid != sid) {
        if (!table.contains(s.thread)) {
          table.forgetIfSubscribed(s, ar); // unsubscribed meanwhile: leave nothing at the relay
        }
        return; // replaced meanwhile: the relay keeps the subscription with the newest sid
      }
      if (ar.failed()) {
        log.warn("event=resubscribe.failed session={} thread={} reason={} error={}",
            client.sessionId(), s.thread, why, ar.cause().toString());
        client.close(CloseCode.SERVER_ERROR, "re-subscribe after " + why + " failed");
        return;
      }
      SubscribeAnswer a = ar.result();
      if (!a.subscribed()) {
        table.remove(s.thread);
        table.writeReset(s.thread, a.epoch(), a.head(), a.reason());
      } else if (a.after() != null && a.after() != after) {
        // Only a cursor of 0 moves (to the oldest retained): what is missing was trimmed.
        table.remove(s.thread);
        table.unsubscribeAtRelay(s.thread);
        table.writeReset(s.thread, a.epoch(), a.head(), "retention");
      }
    });
  }
}
