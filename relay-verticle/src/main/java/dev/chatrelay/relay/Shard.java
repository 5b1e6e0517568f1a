package dev.chatrelay.relay;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.BusFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one shard this relay owns, loaded lazily from the journal. Concurrent commands
 * on a cold thread wait for the same load, so they run in arrival order. Event-loop confined.
 */
final class Shard {

  private static final Logger log = LoggerFactory.getLogger(Shard.class);

  final int index;
  private final RelayRuntime rt;
  private final Map<ThreadKey, ThreadState> threads = new HashMap<>();
  private final Map<ThreadKey, Future<ThreadState>> loading = new HashMap<>();
  private boolean owned = true;
  MessageConsumer<Object> consumer;
  /** The journal's fencing token for this ownership of the shard (0 before the claim). */
  long token;
  /** Completes once the shard's consumer is registered. */
  Future<Void> ready = Future.succeededFuture();

  Shard(int index, RelayRuntime rt) {
    this.index = index;
    this.rt = rt;
  }

  boolean owned() {
    return owned;
  }

  /** The thread's state, loading it from the journal on first use. */
  Future<ThreadState> thread(ThreadKey key) {
    ThreadState t = threads.get(key);
    if (t != null) {
      t.lastUsed = rt.now();
      return Future.succeededFuture(t);
    }
    Future<ThreadState> pending = loading.get(key);
    if (pending != null) {
      return pending;
    }
    Promise<ThreadState> promise = Promise.promise();
    loading.put(key, promise.future());
    rt.journal().info(key).onComplete(ar -> {
      loading.remove(key);
      if (!owned) {
        promise.fail(notOwner());
      } else if (ar.failed()) {
        log.warn("event=thread.load_failed shard={} sub={} thread={} error={}", index, key.sub(),
            key.thread(), ar.cause().toString());
        promise.fail(ar.cause());
      } else {
        int cache = Math.min(rt.config().frameCache(), rt.config().retentionFrames());
        ThreadState state = new ThreadState(key, index, ar.result(), cache, rt.now());
        threads.put(key, state);
        promise.complete(state);
      }
    });
    return promise.future();
  }

  /** The thread's state if loaded or loading, else null: such a thread has nothing to act on. */
  Future<ThreadState> existing(ThreadKey key) {
    ThreadState t = threads.get(key);
    return t != null ? Future.succeededFuture(t) : loading.get(key);
  }

  /** The threads in memory now. */
  List<ThreadState> loaded() {
    return new ArrayList<>(threads.values());
  }

  /** Stops owning: every thread leaves memory; returns them for cleanup. */
  List<ThreadState> release() {
    owned = false;
    List<ThreadState> dropped = new ArrayList<>(threads.values());
    for (ThreadState t : dropped) {
      t.active = false;
    }
    threads.clear();
    return dropped;
  }

  /**
   * Drops threads idle since before {@code idleSince}; the journal still has them. A thread never
   * written goes at the first sweep it is idle in (a read, a refused subscribe or a cancel of an
   * unknown thread leaves nothing behind; a reload answers the same provisional epoch). Never
   * from inside a command: others may be waiting on the same load.
   */
  List<ThreadState> evictIdle(long idleSince) {
    List<ThreadState> evicted = new ArrayList<>();
    for (Iterator<ThreadState> it = threads.values().iterator(); it.hasNext(); ) {
      ThreadState t = it.next();
      if (t.idle() && (t.lastUsed <= idleSince || t.head == 0)) {
        t.active = false;
        it.remove();
        evicted.add(t);
      }
    }
    return evicted;
  }

  int size() {
    return threads.size();
  }

  static ReplyException notOwner() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, BusFailure.NOT_OWNER,
        "shard not owned here");
  }
}
