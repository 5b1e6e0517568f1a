package dev.chatrelay.relay;

import dev.chatrelay.relay.journal.FrameDraft;
import dev.chatrelay.relay.journal.PendingJob;
import java.util.ArrayList;
import java.util.List;

/**
 * The assistant reply to one send, as a state machine. Its id is the send id; frame {@code i} of
 * the reply has id {@code <id>:<i>}. Every field changes only through the methods below, and a
 * method whose move {@link State#canMoveTo} refuses throws {@link IllegalStateException}.
 * Event-loop confined.
 */
final class ReplyJob {

  /** The attempt a send records with its user message. */
  static final int FIRST_ATTEMPT = 1;

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
    DONE;

    /** The transitions of a reply job; DONE is final. */
    boolean canMoveTo(State next) {
      return switch (this) {
        case QUEUED -> next == DISPATCHING || next == ENDING;
        case DISPATCHING -> next == RUNNING || next == WAITING_RETRY || next == ENDING
            || next == DONE;
        case RUNNING -> next == DISPATCHING || next == ENDING || next == DONE;
        case WAITING_RETRY -> next == DISPATCHING || next == ENDING || next == DONE;
        case ENDING -> next == DONE;
        case DONE -> false;
      };
    }
  }

  /** What a cancel needs from the dispatcher in the state the job is in. */
  enum CancelStep {
    /** Send the worker a JobCancel. */
    TELL_WORKER,
    /** The worker cannot be told (its address never came): the next attempt writes the ending. */
    NEXT_ATTEMPT,
    /** No frame and no worker: the relay writes the cancelled ending now. */
    END_NOW,
    /** Nothing now: the job ends in its turn, or the pending dispatch carries the cancel. */
    LATER
  }

  final String id;
  final String text;
  private State state = State.QUEUED;
  /** Attempt number of the latest dispatch; appends from other attempts are fenced. */
  private int attempt;
  /**
   * Highest attempt the shard's pending jobs in the journal already hold: dispatching up to it
   * needs no write (a send records attempt 1 with its user message).
   */
  private int recordedAttempt;
  /** Consecutive failed dispatches, for the backoff. */
  private int failures;
  /** Seq of each journaled frame index, so a repeated append answers without a journal call. */
  private final List<Long> frameSeqs = new ArrayList<>();
  /** The address of the worker running it ({@code JobTaken.worker}), where a JobCancel goes. */
  private String worker;
  /** The latest dispatch request is unanswered (neither answer nor timeout yet). */
  private boolean awaitingAnswer;
  private boolean cancelled;
  private final CancelPacing cancelPacing = new CancelPacing();
  private long leaseUntil;
  private long startedNanos;
  /** Frames the relay still has to write in state ENDING; null until decided. */
  private List<FrameDraft> ending;

  /** A job none of whose attempts the journal holds yet. */
  ReplyJob(String id, String text) {
    this.id = id;
    this.text = text;
  }

  /** The job of a send just journaled, whose first attempt was recorded with it. */
  static ReplyJob ofSend(String id, String text) {
    ReplyJob job = new ReplyJob(id, text);
    job.recordedAttempt = FIRST_ATTEMPT;
    return job;
  }

  /** A job found in the shard's pending jobs: its next attempt comes after the recorded one. */
  static ReplyJob resumed(PendingJob pending) {
    ReplyJob job = new ReplyJob(pending.job(), pending.text());
    job.attempt = pending.attempt();
    job.recordedAttempt = pending.attempt();
    return job;
  }

  State state() {
    return state;
  }

  int attempt() {
    return attempt;
  }

  String worker() {
    return worker;
  }

  boolean cancelled() {
    return cancelled;
  }

  boolean awaitingAnswer() {
    return awaitingAnswer;
  }

  long leaseUntil() {
    return leaseUntil;
  }

  long startedNanos() {
    return startedNanos;
  }

  /** Index of the next frame a worker must append. */
  int nextIndex() {
    return frameSeqs.size();
  }

  /** The seq of journaled frame {@code index}. */
  long seqOf(int index) {
    return frameSeqs.get(index);
  }

  /** True while a worker attempt may append frames. */
  boolean acceptsAppends() {
    return state == State.DISPATCHING || state == State.RUNNING;
  }

  /** True when appends of attempt {@code attempt} of job {@code job} are this attempt's. */
  boolean acceptsAppendsFrom(String job, int attempt) {
    return id.equals(job) && this.attempt == attempt && acceptsAppends();
  }

  /** True when the journal's pending jobs hold attempt {@code n} already. */
  boolean isRecorded(int n) {
    return n <= recordedAttempt;
  }

  /** The thread's turn came: the job becomes current. */
  void started(long nanos) {
    require(state == State.QUEUED, "start");
    startedNanos = nanos;
  }

  /** Begins the next attempt; returns its number. */
  int dispatching() {
    move(State.DISPATCHING);
    attempt++;
    worker = null;
    return attempt;
  }

  /** The journal's pending jobs now hold attempt {@code n}. */
  void recorded(int n) {
    require(state == State.DISPATCHING && n == attempt, "record attempt " + n);
    recordedAttempt = n;
  }

  /** Recording the attempt failed, so it was never sent: its number is used again; returns failures. */
  int notRecorded() {
    move(State.WAITING_RETRY);
    attempt--;
    return ++failures;
  }

  /** The dispatch request of the current attempt left. */
  void requestSent() {
    require(state == State.DISPATCHING, "send a dispatch");
    awaitingAnswer = true;
  }

  /** The dispatch request of the current attempt was answered or timed out. */
  void answered() {
    awaitingAnswer = false;
  }

  /** A worker took the attempt ({@code worker} null: taken by its appends before the answer). */
  void taken(String worker, long leaseUntil) {
    move(State.RUNNING);
    this.worker = worker;
    this.failures = 0;
    this.leaseUntil = leaseUntil;
  }

  /** The late dispatch answer of an attempt its appends took: now a cancel can reach it. */
  void workerKnown(String worker) {
    require(state == State.RUNNING && this.worker == null, "learn the worker");
    this.worker = worker;
  }

  /** The dispatch request failed or found no worker; returns consecutive failures. */
  int dispatchFailed() {
    require(state == State.DISPATCHING, "fail a dispatch");
    return ++failures;
  }

  /** Waits for the backoff before dispatching again. */
  void waitForRetry() {
    move(State.WAITING_RETRY);
  }

  void extendLease(long until) {
    require(state == State.RUNNING, "extend the lease");
    leaseUntil = until;
  }

  /** Marks the job cancelled and says what the dispatcher must do about it now. */
  CancelStep cancel() {
    require(state != State.DONE, "cancel");
    cancelled = true;
    return switch (state) {
      case RUNNING -> worker != null ? CancelStep.TELL_WORKER
          : awaitingAnswer ? CancelStep.LATER // the dispatch answer (or its timeout) decides
          : CancelStep.NEXT_ATTEMPT;
      case WAITING_RETRY -> nextIndex() == 0 ? CancelStep.END_NOW : CancelStep.LATER;
      // QUEUED ends in its turn, DISPATCHING is told once taken, ENDING ends anyway.
      default -> CancelStep.LATER;
    };
  }

  /**
   * Notes a JobCancel to the worker at {@code now}, unless there is no worker address or this
   * attempt was told less than {@code resendPauseMs} ago; returns whether to send it.
   */
  boolean noteCancelSent(long now, long resendPauseMs) {
    return worker != null && cancelPacing.note(attempt, now, resendPauseMs);
  }

  /** The relay writes the ending itself; {@link #planEnding} decides its frames. */
  void endingByRelay() {
    move(State.ENDING);
    ending = null;
  }

  /** True once the relay-written ending's frames are decided. */
  boolean endingPlanned() {
    return ending != null;
  }

  void planEnding(List<FrameDraft> frames) {
    require(state == State.ENDING && ending == null, "plan the ending");
    ending = List.copyOf(frames);
  }

  /** The next frame of the relay-written ending, or null when all are journaled. */
  FrameDraft nextEndingFrame() {
    return ending == null || ending.isEmpty() ? null : ending.get(0);
  }

  void endingFrameWritten(long seq) {
    frameSeqs.add(seq);
    ending = ending.subList(1, ending.size());
  }

  /** Frame {@code index} of the reply is journaled as {@code seq}; a repeated index is known. */
  void frameJournaled(int index, long seq) {
    if (index == nextIndex()) {
      frameSeqs.add(seq);
    }
  }

  void finished() {
    move(State.DONE);
  }

  private void move(State next) {
    require(state.canMoveTo(next), "move to " + next);
    state = next;
  }

  private void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("job " + id + " in state " + state + " cannot " + what);
    }
  }
}
