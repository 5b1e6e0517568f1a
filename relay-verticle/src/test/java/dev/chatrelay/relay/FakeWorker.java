package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.protocol.bus.Shards;
import dev.chatrelay.protocol.reply.ReplyFrame;
import dev.chatrelay.protocol.reply.ReplyShape;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for a worker: records dispatches and cancels, and behaves as its policy says per
 * dispatch. Like the real worker it answers a dispatch with its cancel address.
 */
final class FakeWorker {

  enum Mode {
    /** Takes the job and streams typing on, chunks, message, typing off, then done. */
    RUN,
    /** Never answers the dispatch. */
    SILENT,
    /** Takes the job and then says nothing. */
    STALL,
    /** Refuses with 503 (busy). */
    BUSY,
    /** As RUN, but its done is lost. */
    RUN_DONE_LOST,
    /** As RUN, but its answer to the dispatch is lost (its appends arrive). */
    RUN_ANSWER_LOST,
    /** Its answer is lost; appends typing on, then says nothing. */
    STALL_ANSWER_LOST
  }

  final String id;
  private final Vertx vertx;
  private final int shards;
  final List<JobDispatch> dispatches = new CopyOnWriteArrayList<>();
  final List<JobCancel> cancels = new CopyOnWriteArrayList<>();
  /** Append failures the worker saw (bus failure codes). */
  final List<Integer> appendFailures = new CopyOnWriteArrayList<>();
  volatile Function<JobDispatch, Mode> policy = d -> Mode.RUN;
  volatile int chunks = 2;
  private final MessageConsumer<Object> jobs;
  private final MessageConsumer<Object> own;

  FakeWorker(Vertx vertx, String id, int shards) {
    this.vertx = vertx;
    this.id = id;
    this.shards = shards;
    this.jobs = vertx.eventBus().consumer(Addresses.WORKER_JOBS, msg -> {
      JobDispatch d = BusBodies.as(msg.body(), JobDispatch.class, JobDispatch::fromJson);
      dispatches.add(d);
      switch (policy.apply(d)) {
        case SILENT -> { }
        case BUSY -> msg.fail(503, "busy");
        case STALL -> msg.reply(new JobTaken(Addresses.worker(id)).toJson());
        case RUN -> {
          msg.reply(new JobTaken(Addresses.worker(id)).toJson());
          run(d, true);
        }
        case RUN_DONE_LOST -> {
          msg.reply(new JobTaken(Addresses.worker(id)).toJson());
          run(d, false);
        }
        case RUN_ANSWER_LOST -> run(d, true);
        case STALL_ANSWER_LOST -> appendFrom(d, script(d).subList(0, 1), d.fromIndex());
      }
    });
    this.own = vertx.eventBus().consumer(Addresses.worker(id),
        msg -> cancels.add(BusBodies.as(msg.body(), JobCancel.class, JobCancel::fromJson)));
  }

  Future<Void> ready() {
    return Future.all(jobs.completion(), own.completion()).mapEmpty();
  }

  Future<Void> stop() {
    return Future.all(jobs.unregister(), own.unregister()).mapEmpty();
  }

  /** The frames of a reply, shaped as every producer shapes them, in index order. */
  List<ReplyFrame> script(JobDispatch d) {
    if (d.cancelled()) {
      return ReplyShape.cancelledEnding(0);
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      parts.add("c" + i + "/" + d.text() + " ");
    }
    return ReplyShape.completed(parts);
  }

  private void run(JobDispatch d, boolean sayDone) {
    List<ReplyFrame> frames = script(d);
    appendFrom(d, frames, d.fromIndex()).onSuccess(v -> {
      if (sayDone) {
        vertx.eventBus().send(Addresses.shard(Shards.shardOf(d.key(), shards)),
            new JobProgress(d.key(), d.job(), d.attempt(), true).toJson());
      }
    });
  }

  private Future<Void> appendFrom(JobDispatch d, List<ReplyFrame> frames, int index) {
    if (index >= frames.size()) {
      return Future.succeededFuture();
    }
    ReplyFrame f = frames.get(index);
    AppendCommand cmd = new AppendCommand(d.key(), d.job(), d.attempt(), index, f.kind(), f.data());
    return vertx.eventBus().request(Addresses.shard(Shards.shardOf(d.key(), shards)), cmd.toJson())
        .recover(e -> {
          appendFailures.add(e instanceof io.vertx.core.eventbus.ReplyException re
              ? re.failureCode() : -1);
          return Future.failedFuture(e);
        })
        .compose(reply -> appendFrom(d, frames, index + 1));
  }
}
