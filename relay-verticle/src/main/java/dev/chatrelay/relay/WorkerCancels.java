package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.JobCancel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a job's worker to cancel it. Event-loop confined. */
final class WorkerCancels {

  private static final Logger log = LoggerFactory.getLogger(WorkerCancels.class);

  private final RelayRuntime rt;

  WorkerCancels(RelayRuntime rt) {
    this.rt = rt;
  }

  /**
   * Sends the worker a JobCancel; sent again on a later sign of life of the same attempt once the
   * resend pause has passed, since a JobCancel can be lost like any bus message.
   */
  void tell(ThreadState t, ReplyJob job) {
    if (!job.noteCancelSent(rt.now(), rt.config().deliveryResendMs())) {
      return;
    }
    BusSends.send(rt.bus(), job.worker(), new JobCancel(t.key, job.id, job.attempt()));
    log.info("event=job.cancel_sent sub={} thread={} job={} attempt={} worker={}", t.key.sub(),
        t.key.thread(), job.id, job.attempt(), job.worker());
  }
}
