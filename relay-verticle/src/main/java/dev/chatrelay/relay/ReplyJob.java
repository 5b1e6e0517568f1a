package dev.chatrelay.relay;

import dev.chatrelay.relay.journal.FrameDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * The assistant reply to one send. Its id is the send id; frame {@code i} of the reply has id
 * {@code <id>:<i>}. Event-loop confined.
 */
final class ReplyJob {

  enum State {
    /** Waiting behind another job of the thread. */
    QUEUED,
    /** A dispatch request is in flight. */
    DISPATCHING,
    /** A worker took it; its lease runs. */
    RUNNING,
    /** Between failed dispatches. */
    WAITING_RETRY,
    /** The relay writes the last frames itself (cancelled before any worker, or no worker). */
    ENDING,
    DONE
  }

  final String id;
  final String text;
  State state = State.QUEUED;
  /** Attempt number of the latest dispatch; appends from other attempts are fenced. */
  int attempt;
  /**
   * Highest attempt the shard's pending jobs in the journal already hold: dispatching up to it
   * needs no write (a send records attempt 1 with its user message).
   */
  int recordedAttempt;
  /** Consecutive failed dispatches, for the backoff. */
  int failures;
  /** Seq of each journaled frame index, so a repeated append answers without a journal call. */
  final List<Long> frameSeqs = new ArrayList<>();
  /** The address of the worker running it ({@code JobTaken.worker}), where a JobCancel goes. */
  String worker;
  /** The latest dispatch request is unanswered (neither answer nor timeout yet). */
  boolean awaitingAnswer;
  boolean cancelled;
  /** Attempt that was last told to cancel, and when: a cancel is repeated only after a pause. */
  int cancelSentFor;
  long cancelSentAt;
  long leaseUntil;
  long startedNanos;
  /** Frames the relay still has to write when {@code state == ENDING}. */
  List<FrameDraft> ending = List.of();

  ReplyJob(String id, String text) {
    this.id = id;
    this.text = text;
  }

  /** Index of the next frame a worker must append. */
  int nextIndex() {
    return frameSeqs.size();
  }

  /** True while a worker attempt may append frames. */
  boolean acceptsAppends() {
    return state == State.DISPATCHING || state == State.RUNNING;
  }
}
