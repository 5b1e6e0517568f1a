package dev.chatrelay.relay;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.wire.FieldRules;
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

  private void reply(Message<?> msg, ThreadState t, List<Frame> read) {
    long head = read.isEmpty() ? t.head : Math.max(t.head, read.get(read.size() - 1).seq());
    List<Frame> frames = withinBytes(read, rt.config().limits().historyPageBytes());
    msg.reply(new HistoryPage(t.key.thread(), t.epoch, head, frames));
  }

  /**
   * PROTOCOL.md Limits: the oldest frames of {@code frames} whose wire texts together fit in
   * {@code maxBytes} (UTF-8); at least one, so a page always moves the client on.
   */
  static List<Frame> withinBytes(List<Frame> frames, int maxBytes) {
    long bytes = 0;
    for (int i = 0; i < frames.size(); i++) {
      bytes += FieldRules.utf8Length(frames.get(i).toWire());
      if (bytes > maxBytes) {
        return frames.subList(0, Math.max(1, i));
      }
    }
    return frames;
  }
}
