package dev.chatrelay.loadgen.check;

import dev.chatrelay.loadgen.client.MessageParser;
import dev.chatrelay.loadgen.client.ServerMessage;
import dev.chatrelay.protocol.reply.ReplyFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Builds a thread's frames as the server would send them (payloads shaped by {@link ReplyFrame}; JSON text, parsed by the real parser). */
final class StreamBuilder {

  static final String THREAD = "t1";
  static final String EPOCH = "e1";

  private final List<String> frames = new ArrayList<>();
  private long seq;

  /** One whole scripted reply to send {@code id} with {@code chunks} chunks of "ab". */
  StreamBuilder reply(String id, int chunks) {
    userMessage(id);
    typing(id, true);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      chunk(id, i, "ab");
      text.append("ab");
    }
    message(id, text.toString());
    return typing(id, false);
  }

  StreamBuilder userMessage(String id) {
    return add(id, "user_message", null, "{\"text\":\"hi " + id + "\"}");
  }

  StreamBuilder typing(String replyTo, boolean on) {
    return add(replyTo + ":t" + on, "typing", replyTo, ReplyFrame.typing(0, on).data().encode());
  }

  StreamBuilder chunk(String replyTo, int index, String text) {
    return add(replyTo + ":c" + index, "chunk", replyTo, ReplyFrame.chunk(0, index, text).data().encode());
  }

  StreamBuilder message(String replyTo, String text) {
    return add(replyTo + ":m", "message", replyTo, ReplyFrame.message(0, text, null, null).data().encode());
  }

  StreamBuilder restart(String replyTo, int attempt) {
    return add(replyTo + ":r" + attempt, "restart", replyTo, ReplyFrame.restart(0, attempt).data().encode());
  }

  StreamBuilder error(String replyTo) {
    return add(replyTo + ":e", "error", replyTo, ReplyFrame.error(0, "engine_error", "x").data().encode());
  }

  private StreamBuilder add(String id, String kind, String replyTo, String data) {
    seq++;
    frames.add("{\"type\":\"frame\",\"thread\":\"" + THREAD + "\",\"epoch\":\"" + EPOCH + "\",\"seq\":" + seq
        + ",\"id\":\"" + id + "\",\"kind\":\"" + kind + "\",\"ts\":1700000000000"
        + (replyTo == null ? "" : ",\"replyTo\":\"" + replyTo + "\"") + ",\"data\":" + data + "}");
    return this;
  }

  List<String> texts() {
    return frames;
  }

  /** The frames parsed, each its own instance. */
  List<ServerMessage> parsed() {
    List<ServerMessage> out = new ArrayList<>();
    for (String f : frames) {
      out.add(parse(f));
    }
    return out;
  }

  static ServerMessage parse(String json) {
    ServerMessage m = new ServerMessage();
    try {
      MessageParser.parse(json, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  static ServerMessage subscribed(long head) {
    return parse("{\"type\":\"subscribed\",\"thread\":\"" + THREAD + "\",\"epoch\":\"" + EPOCH + "\",\"head\":" + head + "}");
  }
}
