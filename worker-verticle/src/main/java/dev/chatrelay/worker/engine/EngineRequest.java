package dev.chatrelay.worker.engine;

import java.util.List;
import java.util.Objects;

/**
 * What one reply answers.
 *
 * @param text the user's message being answered
 * @param conversation the thread's conversation oldest first, ending with {@code text} as a user
 *     turn; just that turn when the engine did not ask for the conversation
 */
public record EngineRequest(String text, List<ChatTurn> conversation) {

  public EngineRequest {
    Objects.requireNonNull(text, "text");
    conversation = List.copyOf(conversation);
    if (conversation.isEmpty()) {
      throw new IllegalArgumentException("conversation must end with the user's text");
    }
  }

  /** A request without history: the conversation is the text alone. */
  public static EngineRequest of(String text) {
    return new EngineRequest(text, List.of(ChatTurn.user(text)));
  }
}
