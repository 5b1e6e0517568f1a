package dev.chatrelay.relay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.VerticleBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay verticle moves its Redis journal onto its own event loop: no hop per call. */
class RedisJournalMoveTest {

  private static RedisTestJournals redis;

  @BeforeAll
  static void start() {
    redis = new RedisTestJournals(RedisJournalMoveTest.class);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  /** Runs {@code call} on {@code context} and waits for its result. */
  private static <T> T on(Context context, Supplier<Future<T>> call) {
    return answered(context, call).result;
  }

  private record Answer<T>(T result, Thread thread, Thread caller) {}

  /** Runs {@code call} on {@code context}: its result, and the thread the answer came on. */
  private static <T> Answer<T> answered(Context context, Supplier<Future<T>> call) {
    Promise<Answer<T>> answer = Promise.promise();
    context.runOnContext(v -> {
      Thread caller = Thread.currentThread();
      call.get().onComplete(ar -> answer.handle(
          ar.map(r -> new Answer<>(r, Thread.currentThread(), caller))));
    });
    return answer.future().await();
  }

  @Test
  void callsFromTheLoopItMovedToNeedNoHop() {
    RedisJournal journal = redis.open(redis.options());
    Context verticle = ((VertxInternal) redis.vertx).createEventLoopContext();
    ThreadKey key = new ThreadKey("mover", "t1");

    long before = journal.hops();
    on(verticle, () -> journal.append(key, FrameDraft.userMessage("m1", "one")));
    assertTrue(journal.hops() > before, "the call crossed to the connection's loop");

    on(verticle, () -> journal.moveTo(verticle));
    long moved = journal.hops();
    Answer<?> appended =
        answered(verticle, () -> journal.append(key, FrameDraft.userMessage("m2", "two")));
    Retained read = on(verticle, () -> journal.readRetained(key, 0, 10));

    assertEquals(moved, journal.hops(), "no hop once on the same loop");
    assertEquals(appended.caller(), appended.thread(), "answered on the caller's loop");
    assertEquals(List.of(1L, 2L), read.frames().stream().map(f -> f.seq()).toList());
    assertTrue(journal.connected());
  }

  @Test
  void theJournalOutlivesTheVerticleItMovedTo() {
    RedisJournal journal = redis.open(redis.options());
    ThreadKey key = new ThreadKey("mover", "t3");
    AtomicReference<Boolean> completedOnVerticle = new AtomicReference<>();
    String deployment = redis.vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return journal.moveTo(context).onComplete(ar ->
            completedOnVerticle.set(Vertx.currentContext() != null
                && ((ContextInternal) Vertx.currentContext()).unwrap() == context));
      }
    }).await();

    redis.vertx.undeploy(deployment).await(); // closes what was made in the verticle's context

    assertTrue(completedOnVerticle.get(), "the move completes on the verticle's context");
    journal.append(key, FrameDraft.userMessage("m1", "one")).await();
    assertEquals(1, journal.readRetained(key, 0, 10).await().frames().size());
    assertTrue(journal.connected());
  }

  @Test
  void callsFromElsewhereStillWorkAfterTheMove() {
    RedisJournal journal = redis.open(redis.options());
    Context verticle = ((VertxInternal) redis.vertx).createEventLoopContext();
    ThreadKey key = new ThreadKey("mover", "t2");

    journal.moveTo(verticle).await();
    journal.append(key, FrameDraft.userMessage("m1", "one")).await();

    assertEquals(1, journal.readRetained(key, 0, 10).await().frames().size());
  }
}
