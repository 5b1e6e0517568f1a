package dev.chatrelay.worker.engine;

import java.util.Objects;

/**
 * One message of a conversation as a model sees it.
 *
 * @param role {@link #USER} or {@link #ASSISTANT}, the OpenAI chat roles
 * @param content the message text
 */
public record ChatTurn(String role, String content) {

  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public ChatTurn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatTurn user(String content) {
    return new ChatTurn(USER, content);
  }

  public static ChatTurn assistant(String content) {
    return new ChatTurn(ASSISTANT, content);
  }
}
