package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import io.vertx.core.eventbus.Message;
import java.util.List;

/** Pages of retained frames for the history API. Event-loop confined. */
final class HistoryQueries {

  private final RelayRuntime rt;

  HistoryQueries(RelayRuntime rt) {
    this.rt = rt;
  }

  void answer(Message<?> msg, ThreadState t, HistoryQuery query) {
    long after = query.after();
    if (after >= t.head) {
      reply(msg, t, List.of());
      return;
    }
    long upTo = Math.min(t.head, after + query.limit());
    long from = Math.max(after + 1, t.oldest);
    // The cache holds the newest frames; only the newest retention-frames seqs are never compacted.
    if (t.cache.has(from) && from > t.head - rt.config().retentionFrames()) {
      reply(msg, t, t.cache.range(from, upTo));
      return;
    }
    rt.journal().read(t.key, after, query.limit()).onComplete(ar -> {
      if (ar.failed()) {
        Replies.fail(msg, HistoryQuery.TAG, t.key, ar.cause());
      } else {
        reply(msg, t, ar.result());
      }
    });
  }

  private static void reply(Message<?> msg, ThreadState t, List<Frame> frames) {
    long head = frames.isEmpty() ? t.head : Math.max(t.head, frames.get(frames.size() - 1).seq());
    msg.reply(new HistoryPage(t.key.thread(), t.epoch, head, frames));
  }
}
