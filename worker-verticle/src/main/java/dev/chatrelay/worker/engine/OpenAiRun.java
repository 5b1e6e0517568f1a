package dev.chatrelay.worker.engine;

import dev.chatrelay.protocol.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reply from an OpenAI-compatible server: takes an upstream slot, streams, and on a failure
 * worth retrying (unreachable, 429/5xx, a broken stream) tries again after the pause {@link
 * UpstreamRetry} allows, telling the sink to start over when the failed stream had produced text.
 * The whole reply, waiting for a slot included, must finish within the deadline. Cancelling
 * closes the HTTP request, a pending retry or the wait for a slot.
 */
final class OpenAiRun implements EngineRun {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiRun.class);

  /** The pieces every run of one engine shares. */
  record Upstream(Vertx vertx, io.vertx.core.http.HttpClient client,
      io.vertx.core.http.RequestOptions options, String apiKey, ModelConfig limits,
      UpstreamSlots slots, UpstreamRetry retry, EngineMetrics metrics, Clock clock) {}

  private final Upstream up;
  private final Buffer body;
  private final EngineSink sink;
  private long startedMs;
  private long deadlineTimer = -1;
  private long retryTimer = -1;
  private UpstreamSlots.Slot slot;
  private OpenAiStream stream;
  private int retries;
  private boolean textThisTry;
  private boolean ended;

  OpenAiRun(Upstream up, Buffer body, EngineSink sink) {
    this.up = up;
    this.body = body;
    this.sink = sink;
  }

  void begin() {
    startedMs = up.clock().millis();
    deadlineTimer = up.vertx().setTimer(up.limits().deadlineMs(), id -> timedOut());
    tryOnce();
  }

  @Override
  public void cancel() {
    end();
  }

  private void tryOnce() {
    retryTimer = -1;
    // sent on a later turn of the event loop: `slot` is assigned before any outcome can free it
    slot = up.slots().acquire(() -> up.vertx().runOnContext(v -> send()));
  }

  private void send() {
    if (ended) {
      return;
    }
    textThisTry = false;
    OpenAiStream[] self = new OpenAiStream[1];
    self[0] = new OpenAiStream(up.client(), up.options(), body, up.apiKey(),
        new OpenAiStream.Listener() {
          @Override
          public void delta(String text) {
            if (isCurrent(self[0])) {
              textThisTry = true;
              sink.delta(text);
            }
          }

          @Override
          public void completed(Completion completion) {
            if (isCurrent(self[0])) {
              end();
              sink.complete(completion);
            }
          }

          @Override
          public void failed(UpstreamFailure failure) {
            if (isCurrent(self[0])) {
              onFailure(failure);
            }
          }
        });
    stream = self[0];
    stream.begin();
  }

  private boolean isCurrent(OpenAiStream s) {
    return !ended && stream == s;
  }

  private void onFailure(UpstreamFailure failure) {
    stream = null;
    releaseSlot();
    long pause = failure.retryable()
        ? up.retry().pauseMs(retries + 1, failure.retryAfterMs(), up.clock().millis() - startedMs)
        : UpstreamRetry.NONE;
    if (pause == UpstreamRetry.NONE) {
      EngineError error = failure.toError();
      LOG.info("event=engine.gave_up kind={} status={} retries={} code={}", failure.kind().tag(),
          failure.status(), retries, error.code());
      end();
      sink.fail(error);
      return;
    }
    retries++;
    up.metrics().retried(failure.kind().tag());
    LOG.info("event=engine.retry kind={} status={} retry={} pauseMs={} restart={}",
        failure.kind().tag(), failure.status(), retries, pause, textThisTry);
    if (textThisTry) {
      sink.restart(); // the next stream words the reply anew
    }
    retryTimer = up.vertx().setTimer(Math.max(1, pause), id -> tryOnce());
  }

  private void timedOut() {
    deadlineTimer = -1;
    if (ended) {
      return;
    }
    LOG.info("event=engine.deadline deadlineMs={} retries={}", up.limits().deadlineMs(), retries);
    end();
    sink.fail(new EngineError(EngineError.ENGINE_TIMEOUT,
        "the model did not finish the reply in time"));
  }

  /** Nothing more happens: the stream closed, timers cancelled, the slot given back. */
  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (stream != null) {
      stream.close();
      stream = null;
    }
    if (retryTimer >= 0) {
      up.vertx().cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (deadlineTimer >= 0) {
      up.vertx().cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    releaseSlot();
  }

  private void releaseSlot() {
    if (slot != null) {
      UpstreamSlots.Slot held = slot;
      slot = null;
      held.release();
    }
  }
}
