package dev.chatrelay.worker;

import dev.chatrelay.protocol.Frame;
import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.worker.engine.ChatTurn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The conversation a model sees for one reply, taken from the thread's journaled frames: user
 * messages and completed assistant replies (a {@code message} that was not cancelled) before the
 * send being answered, oldest first, then that send's text. Errors, cancelled replies and every
 * token frame are left out. The newest turns are kept within a budget of turns and characters;
 * the text being answered always stays.
 */
final class ConversationWindow {

  private ConversationWindow() {}

  /**
   * @param job the send id being answered; turns at or after its user message are left out
   * @param text its text (the last turn)
   * @param maxTurns most turns kept, the last one included
   * @param maxChars most characters kept over all turns (the last one always stays)
   */
  static List<ChatTurn> of(String job, String text, List<Frame> history, int maxTurns,
      int maxChars) {
    List<ChatTurn> before = new ArrayList<>();
    boolean found = false;
    for (Frame f : history) {
      if (f.kind() == FrameKind.USER_MESSAGE && job.equals(f.id())) {
        found = true;
        break;
      }
      ChatTurn turn = turnOf(f);
      if (turn != null) {
        before.add(turn);
      }
    }
    if (!found) {
      before.clear(); // its message left the journal: what remains came after it
    }
    Deque<ChatTurn> kept = new ArrayDeque<>();
    kept.add(ChatTurn.user(text));
    int chars = text.length();
    for (int i = before.size() - 1; i >= 0 && kept.size() < maxTurns; i--) {
      ChatTurn turn = before.get(i);
      if (chars + turn.content().length() > maxChars) {
        break;
      }
      chars += turn.content().length();
      kept.addFirst(turn);
    }
    while (kept.size() > 1 && kept.peekFirst().role().equals(ChatTurn.ASSISTANT)) {
      kept.removeFirst(); // chat templates expect a conversation to open with the user
    }
    return List.copyOf(kept);
  }

  private static ChatTurn turnOf(Frame f) {
    if (f.kind() == FrameKind.USER_MESSAGE) {
      return ChatTurn.user(f.data().getString("text", ""));
    }
    if (f.kind() == FrameKind.MESSAGE && f.replyTo() != null
        && !f.data().getBoolean("cancelled", false)) {
      return ChatTurn.assistant(f.data().getString("text", ""));
    }
    return null;
  }
}
