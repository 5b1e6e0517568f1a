package dev.chatrelay.worker;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.AppendAccepted;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.HistoryPage;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.JobProgress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Test stand-in for the relays: consumes every shard address, records appends and job progress,
 * and accepts each append unless {@link #failWith} says otherwise. A batch append is recorded
 * frame by frame, as single-frame appends; like the relay, it journals the frames before a
 * refused one and fails the request.
 */
final class FakeRelay {

  /** Every appended frame received, accepted or not, in arrival order. */
  final List<AppendCommand> received = new CopyOnWriteArrayList<>();
  /** The appends answered with {@link AppendAccepted}, in order. */
  final List<AppendCommand> accepted = new CopyOnWriteArrayList<>();
  final List<JobProgress> progress = new CopyOnWriteArrayList<>();
  /** The address each frame's append arrived on, in the order of {@link #received}. */
  final List<String> appendAddresses = new CopyOnWriteArrayList<>();
  /** Append requests received (each a batch of frames). */
  final AtomicInteger appendRequests = new AtomicInteger();
  /** The frames a history query is answered with (one page; its last seq is the head). */
  volatile List<Frame> history = List.of();
  /** History queries received. */
  final List<HistoryQuery> historyQueries = new CopyOnWriteArrayList<>();
  /** Failure code for an append, or null to accept it. */
  volatile Function<AppendCommand, Integer> failWith = c -> null;

  /** Test-only op: answered once every earlier message from the same sender has been handled. */
  static final String FLUSH = "flush";

  private final AtomicLong seq = new AtomicLong();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  static FakeRelay start(Vertx vertx, int shards) {
    FakeRelay relay = new FakeRelay();
    List<Future<Void>> registered = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      MessageConsumer<Object> consumer =
          vertx.eventBus().consumer(Addresses.shard(shard), relay::onMessage);
      relay.consumers.add(consumer);
      registered.add(consumer.completion());
    }
    Future.all(registered).await();
    return relay;
  }

  void close() {
    consumers.forEach(c -> c.unregister().await());
  }

  /** The accepted frames of one job, in order. */
  List<AppendCommand> frames(String job) {
    return accepted.stream().filter(c -> c.job().equals(job)).toList();
  }

  /**
   * True once the job's reply is over for a relay: an accepted append journaled its ending
   * (typing off), or the worker said done (an attempt with no ending of its own to journal).
   * The worker may still be handling the last append's answer.
   */
  boolean finished(String job) {
    return doneMessages(job) > 0 || accepted.stream().anyMatch(c -> c.job().equals(job)
        && c.kind() == FrameKind.TYPING && !c.data().getBoolean("on", true));
  }

  /** The done messages received for {@code job}. */
  long doneMessages(String job) {
    return progress.stream().filter(p -> p.job().equals(job) && p.done()).count();
  }

  long alive(String job) {
    return progress.stream().filter(p -> p.job().equals(job) && !p.done()).count();
  }

  private void onMessage(Message<Object> message) {
    JsonObject body = BusBodies.json(message.body());
    String op = body.getString("op");
    if (AppendCommand.TAG.equals(op)) {
      AppendCommand batch = BusBodies.as(message.body(), AppendCommand.class, AppendCommand::fromJson);
      appendRequests.incrementAndGet();
      for (int i = 0; i < batch.frames().size(); i++) {
        AppendCommand command = batch.single(i);
        received.add(command);
        appendAddresses.add(message.address());
        Integer failure = failWith.apply(command);
        if (failure != null) {
          message.fail(failure, "fake relay refuses index " + command.index());
          return;
        }
        accepted.add(command);
        seq.incrementAndGet();
      }
      message.reply(new AppendAccepted(seq.get()).toJson());
    } else if (JobProgress.TAG.equals(op)) {
      progress.add(JobProgress.fromJson(body));
    } else if (HistoryQuery.TAG.equals(op)) {
      HistoryQuery query = HistoryQuery.fromJson(body);
      historyQueries.add(query);
      List<Frame> page = history.stream().filter(f -> f.seq() > query.after())
          .limit(query.limit()).toList();
      long head = history.isEmpty() ? 0 : history.get(history.size() - 1).seq();
      message.reply(new HistoryPage(query.key().thread(), "e1", head, page).toJson());
    } else if (FLUSH.equals(op)) {
      message.reply(new JsonObject()); // everything sent before it by the same sender is recorded
    } else {
      message.fail(400, "fake relay: unexpected op " + op);
    }
  }
}
