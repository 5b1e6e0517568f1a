package dev.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.ThreadKey;
import dev.chatrelay.relay.ReplyJob.CancelStep;
import dev.chatrelay.relay.ReplyJob.State;
import dev.chatrelay.relay.journal.PendingJob;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reply job's states and transitions, without a bus: legal moves, refused moves, cancel. */
class ReplyJobStateTest {

  /** A job taken by worker {@code w1} in its first attempt. */
  private static ReplyJob running() {
    ReplyJob job = ReplyJob.ofSend("s1", "hi");
    job.started(1);
    assertEquals(1, job.dispatching());
    assertTrue(job.isRecorded(1), "the send recorded attempt 1");
    job.requestSent();
    job.answered();
    job.taken("worker.w1", 100);
    return job;
  }

  @Test
  void aReplyGoesQueuedDispatchingRunningDone() {
    ReplyJob job = running();
    assertEquals(State.RUNNING, job.state());
    assertTrue(job.acceptsAppendsFrom("s1", 1));
    assertFalse(job.acceptsAppendsFrom("s1", 2), "another attempt is fenced");
    job.frameJournaled(0, 7);
    job.frameJournaled(0, 7); // a retried batch: index 0 is known
    job.frameJournaled(1, 8);
    assertEquals(2, job.nextIndex());
    assertEquals(8, job.seqOf(1));
    job.extendLease(200);
    assertEquals(200, job.leaseUntil());
    job.finished();
    assertEquals(State.DONE, job.state());
    assertFalse(job.acceptsAppends());
  }

  @Test
  void onlyTheTableOfTransitionsIsAllowed() {
    Set<State> fromQueued = EnumSet.of(State.DISPATCHING, State.ENDING);
    Set<State> fromDispatching =
        EnumSet.of(State.RUNNING, State.WAITING_RETRY, State.ENDING, State.DONE);
    Set<State> fromRunning = EnumSet.of(State.DISPATCHING, State.ENDING, State.DONE);
    Set<State> fromWaiting = EnumSet.of(State.DISPATCHING, State.ENDING, State.DONE);
    for (State next : State.values()) {
      assertEquals(fromQueued.contains(next), State.QUEUED.canMoveTo(next), "QUEUED -> " + next);
      assertEquals(fromDispatching.contains(next), State.DISPATCHING.canMoveTo(next),
          "DISPATCHING -> " + next);
      assertEquals(fromRunning.contains(next), State.RUNNING.canMoveTo(next), "RUNNING -> " + next);
      assertEquals(fromWaiting.contains(next), State.WAITING_RETRY.canMoveTo(next),
          "WAITING_RETRY -> " + next);
      assertEquals(next == State.DONE, State.ENDING.canMoveTo(next), "ENDING -> " + next);
      assertFalse(State.DONE.canMoveTo(next), "DONE is final");
    }
  }

  @Test
  void illegalTransitionsThrowAndChangeNothing() {
    ReplyJob queued = new ReplyJob("s1", "hi");
    assertThrows(IllegalStateException.class, () -> queued.taken("worker.w1", 1),
        "a worker cannot take a job that was never dispatched");
    assertThrows(IllegalStateException.class, queued::finished);
    assertThrows(IllegalStateException.class, () -> queued.extendLease(5));
    assertEquals(State.QUEUED, queued.state());

    ReplyJob running = running();
    assertThrows(IllegalStateException.class, running::waitForRetry);
    assertThrows(IllegalStateException.class, running::dispatchFailed);
    assertThrows(IllegalStateException.class, () -> running.recorded(1));
    assertThrows(IllegalStateException.class, () -> running.workerKnown("worker.w2"),
        "the worker's address is known already");
    assertEquals(State.RUNNING, running.state());

    ReplyJob done = running();
    done.finished();
    assertThrows(IllegalStateException.class, done::finished);
    assertThrows(IllegalStateException.class, done::dispatching);
    assertThrows(IllegalStateException.class, done::endingByRelay);
    assertThrows(IllegalStateException.class, done::cancel);
    assertEquals(State.DONE, done.state());

    ReplyJob ending = running();
    ending.endingByRelay();
    assertThrows(IllegalStateException.class, ending::dispatching, "an ending is not undone");
    assertThrows(IllegalStateException.class, () -> ending.started(2));
  }

  @Test
  void anUnrecordedAttemptGivesItsNumberBack() {
    ReplyJob job = new ReplyJob("s1", "hi");
    job.started(1);
    assertEquals(1, job.dispatching());
    assertFalse(job.isRecorded(1));
    assertEquals(1, job.notRecorded());
    assertEquals(State.WAITING_RETRY, job.state());
    assertEquals(0, job.attempt());
    assertEquals(1, job.dispatching(), "the number is used again");
    job.recorded(1);
    assertTrue(job.isRecorded(1));
    assertEquals(2, job.dispatchFailed(), "failures count on until a worker takes it");
    job.waitForRetry();
    job.dispatching();
    job.taken("worker.w1", 10);
    job.finished();
  }

  @Test
  void aResumedJobContinuesAboveTheRecordedAttempt() {
    ReplyJob job = ReplyJob.resumed(new PendingJob(new ThreadKey("a", "t"), "s1", "hi", 3));
    job.started(1);
    assertEquals(4, job.dispatching());
    assertFalse(job.isRecorded(4));
    assertTrue(job.isRecorded(3));
  }

  @Test
  void aCancelSaysWhatTheDispatcherMustDo() {
    assertEquals(CancelStep.LATER, new ReplyJob("q", "x").cancel(), "queued: ends in its turn");

    assertEquals(CancelStep.TELL_WORKER, running().cancel());

    ReplyJob takenByAppends = ReplyJob.ofSend("s1", "hi");
    takenByAppends.started(1);
    takenByAppends.dispatching();
    takenByAppends.requestSent();
    takenByAppends.taken(null, 10);
    assertEquals(CancelStep.LATER, takenByAppends.cancel(), "the dispatch answer decides");
    takenByAppends.answered();
    assertEquals(CancelStep.NEXT_ATTEMPT, takenByAppends.cancel(), "no address ever came");

    ReplyJob waiting = new ReplyJob("s1", "hi");
    waiting.started(1);
    waiting.dispatching();
    waiting.notRecorded();
    assertEquals(CancelStep.END_NOW, waiting.cancel(), "no frame and no worker");
    assertTrue(waiting.cancelled());
  }

  @Test
  void aCancelNoticeIsRepeatedOnlyAfterThePause() {
    ReplyJob job = running();
    job.cancel();
    assertTrue(job.noteCancelSent(1_000, 500));
    assertFalse(job.noteCancelSent(1_400, 500));
    assertTrue(job.noteCancelSent(1_500, 500));
    ReplyJob noAddress = new ReplyJob("s2", "hi");
    assertFalse(noAddress.noteCancelSent(0, 500), "no worker address to tell");
  }

  @Test
  void theRelayWrittenEndingIsPlannedOnceAndWrittenFrameByFrame() {
    ReplyJob job = running();
    job.cancel();
    job.endingByRelay();
    assertFalse(job.endingPlanned());
    assertNull(job.nextEndingFrame());
    job.planEnding(RelayEndings.cancelled(job.id, job.nextIndex()));
    assertThrows(IllegalStateException.class,
        () -> job.planEnding(RelayEndings.cancelled(job.id, 0)), "planned once");
    int written = 0;
    while (job.nextEndingFrame() != null) {
      job.endingFrameWritten(100 + written++);
    }
    assertEquals(3, written, "typing on, cancelled message, typing off");
    assertEquals(3, job.nextIndex());
    job.finished();
  }
}
