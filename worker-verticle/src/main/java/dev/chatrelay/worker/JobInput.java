package dev.chatrelay.worker;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.bus.JobDispatch;
import dev.chatrelay.worker.engine.AssistantEngine;
import dev.chatrelay.worker.engine.EngineRequest;
import java.util.List;
import java.util.Objects;

/**
 * What an attempt gives its engine: the request (with the conversation when the engine wants
 * it) and, for an engine that cannot repeat itself, what is journaled of the reply so far.
 *
 * @param journaled null for a repeatable engine: it replays the reply from frame 0
 */
record JobInput(EngineRequest request, JournaledReply journaled) {

  /** The thread's journal must be read first: for the conversation, or to continue a reply. */
  static boolean needsJournal(AssistantEngine engine) {
    return !engine.repeatable() || engine.wantsConversation();
  }

  /** The input without the journal. */
  static JobInput of(JobDispatch job) {
    return new JobInput(EngineRequest.of(text(job)), null);
  }

  /** The input from the thread's retained frames, oldest first. */
  static JobInput of(AssistantEngine engine, JobDispatch job, WorkerConfig config,
      List<Frame> history) {
    String text = text(job);
    EngineRequest request = engine.wantsConversation()
        ? new EngineRequest(text, ConversationWindow.of(job.job(), text, history,
            config.model().contextMessages(), config.model().contextChars()))
        : EngineRequest.of(text);
    return new JobInput(request, engine.repeatable() ? null : JournaledReply.of(job.job(), history));
  }

  private static String text(JobDispatch job) {
    return Objects.requireNonNullElse(job.text(), "");
  }
}
