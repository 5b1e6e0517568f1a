package dev.chatrelay.loadgen.raw;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Server messages of the raw push server as JSON text, written by hand (it is the baseline); reply payloads come from {@code ReplyShape}. */
final class RawFrames {

  private RawFrames() {
  }

  static String frame(String thread, String epoch, long seq, String id, String kind, long ts,
      String replyTo, String data) {
    StringBuilder b = new StringBuilder(160 + data.length()).append("{\"type\":\"frame\",\"thread\":");
    quote(b, thread).append(",\"epoch\":");
    quote(b, epoch).append(",\"seq\":").append(seq).append(",\"id\":");
    quote(b, id).append(",\"kind\":\"").append(kind).append("\",\"ts\":").append(ts);
    if (replyTo != null) {
      b.append(",\"replyTo\":");
      quote(b, replyTo);
    }
    return b.append(",\"data\":").append(data).append('}').toString();
  }

  static String textData(String text) {
    return quote(new StringBuilder(text.length() + 12).append("{\"text\":"), text).append('}').toString();
  }

  static String subscribed(String thread, String epoch, long head) {
    StringBuilder b = new StringBuilder(96).append("{\"type\":\"subscribed\",\"thread\":");
    quote(b, thread).append(",\"epoch\":");
    return quote(b, epoch).append(",\"head\":").append(head).append('}').toString();
  }

  static String reset(String thread, String epoch, long head, String reason) {
    StringBuilder b = new StringBuilder(112).append("{\"type\":\"reset\",\"thread\":");
    quote(b, thread).append(",\"epoch\":");
    return quote(b, epoch).append(",\"head\":").append(head).append(",\"reason\":\"").append(reason)
        .append("\"}").toString();
  }

  static String accepted(String id, String thread, long seq) {
    StringBuilder b = new StringBuilder(96).append("{\"type\":\"accepted\",\"id\":");
    quote(b, id).append(",\"thread\":");
    return quote(b, thread).append(",\"seq\":").append(seq).append('}').toString();
  }

  static String error(String code, String message, String ref) {
    StringBuilder b = new StringBuilder(96).append("{\"type\":\"error\",\"code\":\"").append(code)
        .append("\",\"message\":");
    quote(b, message);
    if (ref != null) {
      b.append(",\"ref\":");
      quote(b, ref);
    }
    return b.append('}').toString();
  }

  static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"');
  }
}
