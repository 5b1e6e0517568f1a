package dev.chatrelay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.worker.engine.ChatTurn;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationWindowTest {

  private final List<Frame> history = new ArrayList<>();

  @Test
  void keepsTheNewestTurnsWithinTheTurnBudget() {
    turns(5);
    user("now", "current?");
    assertEquals(List.of(ChatTurn.user("q3"), ChatTurn.assistant("a3"), ChatTurn.user("q4"),
        ChatTurn.assistant("a4"), ChatTurn.user("current?")),
        ConversationWindow.of("now", "current?", history, 5, 10_000));
  }

  @Test
  void keepsTheNewestTurnsWithinTheCharacterBudgetAndOpensWithTheUser() {
    turns(3);
    user("now", "12345");
    // "a2" fits (7 chars with the 5 of the text), "q2" would make 9 > 8: cut, and a lone
    // assistant turn at the start is dropped too
    assertEquals(List.of(ChatTurn.user("12345")),
        ConversationWindow.of("now", "12345", history, 50, 8));
    assertEquals(List.of(ChatTurn.user("q2"), ChatTurn.assistant("a2"), ChatTurn.user("12345")),
        ConversationWindow.of("now", "12345", history, 50, 9));
  }

  @Test
  void theTextAlwaysStaysEvenOverBudget() {
    turns(2);
    user("now", "a long question");
    assertEquals(List.of(ChatTurn.user("a long question")),
        ConversationWindow.of("now", "a long question", history, 1, 3));
  }

  @Test
  void aMessageNoLongerJournaledGetsNoHistory() {
    turns(2); // "now" is not in the history: what is there may have come after it
    assertEquals(List.of(ChatTurn.user("x")), ConversationWindow.of("now", "x", history, 50, 999));
  }

  private void turns(int n) {
    for (int i = 0; i < n; i++) {
      user("q" + i, "q" + i);
      add("q" + i + ":1", FrameKind.CHUNK, "q" + i, new JsonObject().put("text", "a").put("index", 0));
      add("q" + i + ":2", FrameKind.MESSAGE, "q" + i, new JsonObject().put("text", "a" + i));
    }
  }

  private void user(String id, String text) {
    add(id, FrameKind.USER_MESSAGE, null, new JsonObject().put("text", text));
  }

  private void add(String id, FrameKind kind, String replyTo, JsonObject data) {
    history.add(new Frame("t", "e", history.size() + 1, id, kind, 0, replyTo, data));
  }
}
