package dev.chatrelay.worker;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusBodies;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.protocol.bus.BusFailure;
import dev.chatrelay.protocol.bus.JobCancel;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.protocol.bus.JobTaken;
import dev.chatrelay.protocol.bus.NodeIds;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker role: takes reply jobs from {@link Addresses#WORKER_JOBS}, runs each with the
 * assistant engine and journals its frames through the thread's relay shard; takes
 * {@link JobCancel}s on its own address. A job cut short by {@link #stop()} is left to the
 * relay's lease, which re-dispatches it.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  /** Dispatch refused because this worker is full: 503, so the relay tries another worker. */
  static final int BUSY = BusFailure.NOT_OWNER;

  private final WorkerConfig config;
  /** Numbers this process's worker instances when their ids carry the cluster node. */
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String workerId;
  private final Map<String, JobRun> running = new HashMap<>();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private AssistantEngine engine;
  /** Made in start(): the Vert.x Micrometer registry exists once the verticle is deployed. */
  private EngineMetrics metrics;
  /** The engine was built here from the config, so closing it is this verticle's job. */
  private final boolean ownsEngine;

  /** Runs jobs with the engine that {@code config} names (one JVM: no cluster node). */
  public WorkerVerticle(WorkerConfig config) {
    this(config, null, null, true);
  }

  /**
   * Runs jobs with the engine that {@code config} names. Its id carries cluster node
   * {@code nodeId} (null: not clustered), so a relay that sees the node leave dispatches this
   * worker's jobs again at once instead of waiting for their leases.
   */
  public WorkerVerticle(WorkerConfig config, String nodeId) {
    this(config, nodeId, null, true);
  }

  /** Runs jobs with {@code engine}; the caller keeps ownership of it. */
  public WorkerVerticle(WorkerConfig config, AssistantEngine engine) {
    this(config, null, engine, false);
  }

  private WorkerVerticle(WorkerConfig config, String nodeId, AssistantEngine engine,
      boolean ownsEngine) {
    this.config = config;
    this.workerId = nodeId == null ? UUID.randomUUID().toString()
        : NodeIds.of(nodeId, INSTANCES.incrementAndGet());
    this.engine = engine;
    this.ownsEngine = ownsEngine;
  }

  /** The engine meters of this worker (outcomes, retries, restarts). */
  EngineMetrics metrics() {
    return metrics;
  }

  /** How many job attempts run here, counted on the verticle's context (tests). */
  Future<Integer> runningJobs() {
    Promise<Integer> count = Promise.promise();
    context.runOnContext(v -> count.complete(running.size()));
    return count.future();
  }

  /** The address this worker takes {@link JobCancel}s on; the relay learns it from {@link JobTaken}. */
  public String address() {
    return Addresses.worker(workerId);
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    metrics = EngineMetrics.create(config.engine().wire());
    if (engine == null) {
      engine = EngineFactory.create(vertx, config, metrics);
    }
    MessageConsumer<Object> jobs = vertx.eventBus().consumer(Addresses.WORKER_JOBS, this::onDispatch);
    MessageConsumer<Object> cancels = vertx.eventBus().consumer(address(), this::onCancel);
    consumers.add(jobs);
    consumers.add(cancels);
    return Future.all(jobs.completion(), cancels.completion())
        .onSuccess(v -> LOG.info("event=worker.started worker={} engine={} concurrency={}",
            workerId, config.engine().wire(), config.concurrency()));
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    new ArrayList<>(running.values()).forEach(JobRun::abandon);
    Future<Void> engineClosed = ownsEngine && engine != null ? engine.close() : Future.succeededFuture();
    LOG.info("event=worker.stopped worker={}", workerId);
    return Future.join(Future.all(unregistered), engineClosed);
  }

  private void onDispatch(Message<Object> message) {
    JobDispatch job;
    try {
      job = BusBodies.as(message.body(), JobDispatch.class, JobDispatch::fromJson);
    } catch (RuntimeException e) {
      LOG.warn("event=dispatch.invalid worker={} cause={}", workerId, e.toString());
      message.fail(BusFailure.BAD_REQUEST, "invalid job dispatch: " + e.getMessage());
      return;
    }
    String runKey = runKey(job.key(), job.job(), job.attempt());
    if (running.containsKey(runKey)) {
      message.reply(new JobTaken(address())); // a re-sent dispatch of a job running here
      return;
    }
    if (running.size() >= config.concurrency()) {
      LOG.info("event=dispatch.refused worker={} job={} attempt={} running={}", workerId, job.job(),
          job.attempt(), running.size());
      message.fail(BUSY, "worker busy: " + running.size() + " jobs running");
      return;
    }
    JobRun run = new JobRun(vertx, config, engine, metrics, job, Clock.SYSTEM,
        ended -> running.remove(runKey, ended));
    running.put(runKey, run);
    message.reply(new JobTaken(address()));
    run.start();
  }

  private void onCancel(Message<Object> message) {
    JobCancel cancel;
    try {
      cancel = BusBodies.as(message.body(), JobCancel.class, JobCancel::fromJson);
    } catch (RuntimeException e) {
      LOG.warn("event=cancel.invalid worker={} cause={}", workerId, e.toString());
      return;
    }
    JobRun run = running.get(runKey(cancel.key(), cancel.job(), cancel.attempt()));
    if (run == null) {
      LOG.info("event=cancel.unknown_job worker={} sub={} thread={} job={} attempt={}", workerId,
          cancel.key().sub(), cancel.key().thread(), cancel.job(), cancel.attempt());
      return;
    }
    run.cancel();
  }

  /** Job ids are send ids, unique only within a thread: the key names the thread too. */
  private static String runKey(ThreadKey key, String job, int attempt) {
    return key.asString() + '\u0000' + job + '#' + attempt;
  }
}
