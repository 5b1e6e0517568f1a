package dev.chatrelay.loadgen.client;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/** The client → server messages of PROTOCOL.md as JSON text, built without a JSON tree. */
public final class ClientMessages {

  /** One {@code hello.resume} entry. */
  public record Resume(String thread, String epoch, long after) {
  }

  public static final String PONG = "{\"type\":\"pong\"}";

  private ClientMessages() {
  }

  public static String hello(String token, List<Resume> resume) {
    StringBuilder b = new StringBuilder(96 + token.length() + resume.size() * 64)
        .append("{\"type\":\"hello\",\"token\":");
    quote(b, token);
    if (!resume.isEmpty()) {
      b.append(",\"resume\":[");
      for (int i = 0; i < resume.size(); i++) {
        Resume r = resume.get(i);
        b.append(i == 0 ? "{" : ",{").append("\"thread\":");
        quote(b, r.thread());
        if (r.epoch() != null) {
          b.append(",\"epoch\":");
          quote(b, r.epoch());
        }
        b.append(",\"after\":").append(r.after()).append('}');
      }
      b.append(']');
    }
    return b.append('}').toString();
  }

  /** {@code subscribe}; {@code epoch} may be null (first subscription). */
  public static String subscribe(String thread, String epoch, long after) {
    StringBuilder b = new StringBuilder(80).append("{\"type\":\"subscribe\",\"thread\":");
    quote(b, thread);
    if (epoch != null) {
      b.append(",\"epoch\":");
      quote(b, epoch);
    }
    return b.append(",\"after\":").append(after).append('}').toString();
  }

  public static String send(String thread, String id, String text) {
    StringBuilder b = new StringBuilder(64 + text.length()).append("{\"type\":\"send\",\"thread\":");
    quote(b, thread);
    b.append(",\"id\":");
    quote(b, id);
    b.append(",\"text\":");
    quote(b, text);
    return b.append('}').toString();
  }

  public static String ack(String thread, long seq) {
    StringBuilder b = new StringBuilder(64).append("{\"type\":\"ack\",\"thread\":");
    quote(b, thread);
    return b.append(",\"seq\":").append(seq).append('}').toString();
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    b.append('"');
  }
}
