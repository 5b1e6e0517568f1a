package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.relay.journal.JournalFencedException;
import dev.chatrelay.relay.journal.PendingJob;
import dev.chatrelay.relay.journal.ShardHeldException;
import dev.chatrelay.relay.shard.ShardOwner;
import dev.chatrelay.relay.shard.ShardOwnership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * The shards this relay serves: one event-bus consumer each. Acquiring claims the shard in the
 * journal first, so a previous owner that still thinks it owns the shard is fenced before this
 * one reads anything. A fenced write lets the shard go at once; it is acquired again after
 * {@code RELAY_SHARD_REACQUIRE_MS} if the ownership still wants it (at once when the journal
 * lost its state). Acquire and release may be called from any thread; they run on the
 * verticle's event loop.
 */
final class ShardHost implements ShardOwner {

  private static final Logger log = LoggerFactory.getLogger(ShardHost.class);

  private final RelayRuntime rt;
  private final Context context;
  private final ShardRouter router;
  private final SubscriptionRegistry registry;
  private final JobDispatcher dispatcher;
  private final ShardOwnership ownership;
  private final TreeMap<Integer, Shard> shards = new TreeMap<>();
  private final RecentFences recentFences = new RecentFences();
  private boolean stopping;

  ShardHost(RelayRuntime rt, Context context, ShardRouter router, SubscriptionRegistry registry,
      JobDispatcher dispatcher, ShardOwnership ownership) {
    this.rt = rt;
    this.context = context;
    this.router = router;
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.ownership = ownership;
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
      long wait = recentFences.waitMs(index, rt.now(), rt.config().shardReacquireMs());
      if (wait > 0) {
        reacquireLater(index, wait); // fenced a moment ago: the pause of fenced() applies
        return Future.succeededFuture();
      }
      Shard shard = new Shard(index, rt);
      shards.put(index, shard);
      // Claim first (fences the previous owner), then queue its unfinished jobs before any new
      // send, then consume, then start those jobs: a command reaching this relay always finds
      // the shard ready, and a resumed job's worker always finds it consuming.
      shard.ready = claim(shard)
          .compose(v -> shard.owned() ? queuePending(shard) : Future.succeededFuture(List.of()))
          .compose(resumed -> shard.owned()
              ? register(shard).onSuccess(v -> resumed.forEach(dispatcher::start))
              : Future.<Void>succeededFuture())
          .onFailure(e -> {
            if (e instanceof ShardHeldException held) {
              // A live relay outside this view holds it (a split): ask again later, quietly.
              log.debug("event=shard.held shard={} holder={} retryInMs={}", index, held.holder(),
                  rt.config().shardReacquireMs());
            } else {
              log.warn("event=shard.acquire_failed shard={} retryInMs={} error={}", index,
                  rt.config().shardReacquireMs(), e.toString());
            }
            if (shards.get(index) == shard) {
              release(index);
            }
            reacquireLater(index, rt.config().shardReacquireMs());
          });
      return shard.ready;
    });
  }

  private Future<Void> claim(Shard shard) {
    return rt.journal().claimShard(shard.index, ownership.claimGuard()).transform(ar -> {
      if (ar.succeeded()) {
        shard.token = ar.result();
        if (!shard.owned() && !shards.containsKey(shard.index)) {
          rt.journal().releaseShard(shard.index); // released while the claim was in flight
        }
        return Future.succeededFuture();
      }
      if (ar.cause() instanceof UnsupportedOperationException) {
        return Future.succeededFuture(); // a journal without fencing: single relay only
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private Future<Void> register(Shard shard) {
    MessageConsumer<Object> consumer =
        rt.bus().consumer(Addresses.shard(shard.index), msg -> router.handle(shard, msg));
    shard.consumer = consumer;
    return consumer.completion().onSuccess(x -> log.debug("event=shard.acquired shard={} token={}",
        shard.index, shard.token));
  }

  /**
   * Queues the jobs a previous owner of the shard left unfinished and returns their threads. The
   * pending list is read until it is read (see {@link PendingJobsRead}): a failed read is never
   * "nothing to resume", else those replies would not come until the shard moved again.
   */
  private Future<List<ThreadState>> queuePending(Shard shard) {
    List<ThreadState> resumed = new ArrayList<>();
    return PendingJobsRead.until(rt, shard.index, shard::owned).compose(pending -> {
      Future<Void> chain = Future.succeededFuture();
      for (PendingJob p : pending) {
        chain = chain.compose(v -> shard.thread(p.key()).map(t -> {
          if (dispatcher.queueResumed(t, p)) {
            resumed.add(t);
          }
          return null;
        }));
      }
      return chain;
    }).map(v -> resumed);
  }

  @Override
  public Future<Void> release(int index) {
    return onLoop(() -> {
      Shard shard = shards.remove(index);
      if (shard == null) {
        return Future.succeededFuture();
      }
      int moved = 0;
      for (ThreadState t : shard.release()) {
        moved += ShardHandover.tellMoved(rt, t);
        forget(t);
      }
      rt.journal().releaseShard(index);
      log.debug("event=shard.released shard={} subscriptionsMoved={}", index, moved);
      return ShardHandover.unregisterAfterGrace(rt, shard);
    });
  }

  /**
   * A write of this relay was fenced: another relay claimed the shard, or the journal lost its
   * state (flushed). Lets the shard go now; acquires it again later if still wanted. On the loop.
   */
  void fenced(JournalFencedException e) {
    Shard shard = shards.get(e.shard());
    if (shard == null || shard.token != e.heldToken()) {
      return; // already let go, or a late failure of a write made before a newer claim
    }
    boolean storeLost = e.currentToken() < e.heldToken();
    log.warn("event=shard.fenced shard={} heldToken={} latestToken={} storeLost={}", e.shard(),
        e.heldToken(), e.currentToken(), storeLost);
    rt.metrics().shardFenced();
    if (!storeLost) {
      recentFences.fenced(e.shard(), rt.now());
    }
    release(e.shard());
    reacquireLater(e.shard(), storeLost ? 0 : rt.config().shardReacquireMs());
  }

  @Override
  public void verifyClaims() {
    onLoop(() -> {
      for (Shard shard : new ArrayList<>(shards.values())) {
        long held = shard.token;
        if (held > 0) {
          rt.journal().latestToken(shard.index).onSuccess(latest -> {
            if (latest != held) {
              fenced(new JournalFencedException(shard.index, held, latest));
            }
          });
        }
      }
      return Future.succeededFuture();
    });
  }

  private void reacquireLater(int index, long delayMs) {
    Runnable again = () -> {
      if (!stopping && !shards.containsKey(index) && ownership.wants(index)) {
        acquire(index);
      }
    };
    if (delayMs <= 0) {
      context.runOnContext(v -> again.run());
    } else {
      rt.vertx().setTimer(delayMs, id -> again.run());
    }
  }

  /**
   * The shard if this relay serves it now (claimed, consuming and not let go), else null: then a
   * record for it goes to the shard's address, where its current owner consumes it.
   */
  Shard served(int index) {
    Shard shard = shards.get(index);
    return shard != null && shard.owned() && shard.consumer != null && shard.ready.succeeded()
        ? shard : null;
  }

  @Override
  public Set<Integer> owned() {
    return Collections.unmodifiableSet(new TreeSet<>(shards.keySet()));
  }

  @Override
  public void forgetNode(String node) {
    onLoop(() -> {
      dispatcher.workerNodeLeft(node);
      long grace = ownership.nodeLeftGraceMs();
      if (grace <= 0) {
        dropSubscriptionsOf(node);
      } else { // a merge's passing views drop and re-add nodes: drop only if still gone
        rt.vertx().setTimer(grace, id -> {
          if (!ownership.isMember(node)) {
            dropSubscriptionsOf(node);
          }
        });
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public void nodeJoined(String node) {
    onLoop(() -> {
      dispatcher.retryWaitingNow("node joined node=" + node);
      return Future.succeededFuture();
    });
  }

  private void dropSubscriptionsOf(String node) {
    int dropped = GatewayNodeLeft.drop(shards.values(), registry, node);
    if (dropped > 0) {
      log.info("event=gateway.node_left node={} subscriptionsDropped={}", node, dropped);
    }
  }

  /** Releases every shard (verticle stop): gateways move their subscriptions elsewhere. */
  Future<Void> releaseAll() {
    return onLoop(() -> {
      stopping = true;
      List<Future<Void>> released = new ArrayList<>();
      for (int index : new ArrayList<>(shards.keySet())) {
        released.add(release(index));
      }
      return Future.all(released).onComplete(ar -> log.info("event=relay.released shards={}",
          released.size())).mapEmpty();
    });
  }

  /** Drops idle threads of every shard from memory. */
  void evictIdle() {
    long idleSince = rt.now() - rt.config().threadIdleMs();
    for (Shard shard : shards.values()) {
      for (ThreadState t : shard.evictIdle(idleSince)) {
        forget(t);
        log.debug("event=thread.evicted shard={} sub={} thread={}", shard.index, t.key.sub(),
            t.key.thread());
      }
    }
  }

  private void forget(ThreadState t) {
    registry.forget(t);
    dispatcher.forget(t);
  }

  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    if (Contexts.isOn(context)) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
