package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.relay.journal.JournalFencedException;
import dev.chatrelay.relay.journal.JournalUnavailableException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Failing a bus request with a {@link BusFailure} code and one log line. */
final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** Fails {@code msg} for {@code cause}: its own code when it carries one, else INTERNAL. */
  static void fail(Message<?> msg, String op, ThreadKey key, Throwable cause) {
    if (cause instanceof ReplyException re && re.failureCode() > 0) {
      msg.fail(re.failureCode(), re.getMessage());
      return;
    }
    if (cause instanceof JournalUnavailableException) {
      log.warn("event=request.failed op={} sub={} thread={} code={} error={}", op, key.sub(),
          key.thread(), BusFailure.UNAVAILABLE, cause.getMessage());
      msg.fail(BusFailure.UNAVAILABLE, "journal unavailable");
      return;
    }
    if (cause instanceof JournalFencedException) {
      // The shard is being let go: the sender retries and reaches its owner.
      msg.fail(BusFailure.NOT_OWNER, cause.getMessage());
      return;
    }
    log.warn("event=request.failed op={} sub={} thread={} code={} error={}", op, key.sub(), key.thread(),
        BusFailure.INTERNAL, cause.toString());
    msg.fail(BusFailure.INTERNAL, "internal error");
  }
}
