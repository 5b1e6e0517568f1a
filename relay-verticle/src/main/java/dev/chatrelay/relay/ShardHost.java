package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.shard.ShardOwner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards this relay serves: one event-bus consumer each. Acquire and release may be called
 * from any thread; they run on the verticle's event loop.
 */
final class ShardHost implements ShardOwner {

  private static final Logger log = LoggerFactory.getLogger(ShardHost.class);

  private final RelayRuntime rt;
  private final Context context;
  private final ShardRouter router;
  private final SubscriptionRegistry registry;
  private final JobDispatcher dispatcher;
  private final TreeMap<Integer, Shard> shards = new TreeMap<>();

  ShardHost(RelayRuntime rt, Context context, ShardRouter router, SubscriptionRegistry registry,
      JobDispatcher dispatcher) {
    this.rt = rt;
    this.context = context;
    this.router = router;
    this.registry = registry;
    this.dispatcher = dispatcher;
  }

  @Override
  public Future<Void> acquire(int index) {
    return onLoop(() -> {
      if (index < 0 || index >= rt.config().shards()) {
        return Future.failedFuture(new IllegalArgumentException("no shard " + index));
      }
      Shard existing = shards.get(index);
      if (existing != null) {
        return existing.ready;
      }
      Shard shard = new Shard(index, rt);
      shards.put(index, shard);
      // Unfinished jobs queue first, so they keep their place before any new send.
      shard.ready = resumePending(shard).compose(v -> {
        if (!shard.owned()) {
          return Future.succeededFuture();
        }
        MessageConsumer<Object> consumer =
            rt.bus().consumer(Addresses.shard(index), msg -> router.handle(shard, msg));
        shard.consumer = consumer;
        return consumer.completion().onSuccess(x -> log.debug("shard acquired shard={}", index));
      });
      return shard.ready;
    });
  }

  /** Queues the jobs a previous owner of the shard left unfinished; a failure is logged, not fatal. */
  private Future<Void> resumePending(Shard shard) {
    return rt.journal().pendingJobs(shard.index).compose(pending -> {
      Future<Void> chain = Future.succeededFuture();
      for (PendingJob p : pending) {
        chain = chain.compose(v -> shard.thread(p.key()).map(t -> {
          dispatcher.resume(t, p);
          return null;
        }));
      }
      return chain;
    }).recover(e -> {
      log.error("pending jobs not resumed shard={} error={}", shard.index, e.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> release(int index) {
    return onLoop(() -> {
      Shard shard = shards.remove(index);
      if (shard == null) {
        return Future.succeededFuture();
      }
      for (ThreadState t : shard.release()) {
        forget(t);
      }
      log.debug("shard released shard={}", index);
      return shard.consumer == null ? Future.succeededFuture() : shard.consumer.unregister();
    });
  }

  @Override
  public Set<Integer> owned() {
    return Collections.unmodifiableSet(new TreeSet<>(shards.keySet()));
  }

  /** Releases every shard (verticle stop). */
  Future<Void> releaseAll() {
    return onLoop(() -> {
      List<Future<Void>> released = new ArrayList<>();
      for (int index : new ArrayList<>(shards.keySet())) {
        released.add(release(index));
      }
      return Future.all(released).onComplete(ar -> log.info("relay released shards={}",
          released.size())).mapEmpty();
    });
  }

  /** Drops idle threads of every shard from memory. */
  void evictIdle() {
    long idleSince = rt.now() - rt.config().threadIdleMs();
    for (Shard shard : shards.values()) {
      for (ThreadState t : shard.evictIdle(idleSince)) {
        forget(t);
        log.debug("thread evicted shard={} sub={} thread={}", shard.index, t.key.sub(),
            t.key.thread());
      }
    }
  }

  private void forget(ThreadState t) {
    registry.forget(t);
    dispatcher.forget(t);
  }

  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
