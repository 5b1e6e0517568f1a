package dev.chatrelay.protocol.wire;

import java.util.List;
import java.util.Objects;

/**
 * A valid client → server message of protocol {@code relay.v1}, as produced by
 * {@link ClientMessageDecoder}. Every field has passed the rules of PROTOCOL.md already.
 */
public sealed interface ClientMessage {

  /** The wire {@code type} of this message. */
  String type();

  /**
   * The {@code ref} of an error answering this message (PROTOCOL.md): the {@code id} for
   * {@code send}, the {@code replyTo} for {@code cancel}, otherwise the thread, if any.
   */
  String ref();

  /**
   * True when PROTOCOL.md counts this message against the command rate limit: every message
   * except a valid {@code ack} or {@code pong}. A {@code ping}, and any message answered with an
   * {@code error} (see {@link DecodeResult.Rejected}), count.
   */
  static boolean countsTowardRateLimit(ClientMessage message) {
    return !(message instanceof Ack || message instanceof Pong);
  }

  /** {@code hello}: authenticates (token or upgrade header) and resumes threads, entries in order. */
  record Hello(String token, List<ResumeItem> resume) implements ClientMessage {
    public static final String TYPE = "hello";

    public Hello {
      resume = List.copyOf(resume);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return null;
    }
  }

  /** One entry of {@code hello.resume}: either a cursor to resume or a malformed entry to reject. */
  sealed interface ResumeItem permits ResumeEntry, InvalidResumeEntry {}

  /** A well-formed resume entry: continue {@code thread} after {@code after} in {@code epoch}. */
  record ResumeEntry(String thread, String epoch, long after) implements ResumeItem {
    public ResumeEntry {
      Objects.requireNonNull(thread, "thread");
    }
  }

  /** A malformed resume entry: answered with {@code error bad_request}, {@code ref} = its thread if any. */
  record InvalidResumeEntry(String ref, String message) implements ResumeItem {}

  /** {@code subscribe}: {@code after} null = live only; {@code epoch} null = any. */
  record Subscribe(String thread, String epoch, Long after) implements ClientMessage {
    public static final String TYPE = "subscribe";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return thread;
    }
  }

  /** {@code unsubscribe}. */
  record Unsubscribe(String thread) implements ClientMessage {
    public static final String TYPE = "unsubscribe";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return thread;
    }
  }

  /** {@code send}: a user message with its client-chosen idempotency id. */
  record Send(String thread, String id, String text) implements ClientMessage {
    public static final String TYPE = "send";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return id;
    }
  }

  /** {@code ack}: cumulative, everything {@code <= seq} was processed. */
  record Ack(String thread, long seq) implements ClientMessage {
    public static final String TYPE = "ack";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return thread;
    }
  }

  /** {@code refresh}: a new token for the same {@code sub}. */
  record Refresh(String token) implements ClientMessage {
    public static final String TYPE = "refresh";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return null;
    }
  }

  /** {@code cancel}: stop the reply to send {@code replyTo}. */
  record Cancel(String thread, String replyTo) implements ClientMessage {
    public static final String TYPE = "cancel";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return replyTo;
    }
  }

  /** {@code ping}: answered with {@code pong}. */
  record Ping() implements ClientMessage {
    public static final String TYPE = "ping";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return null;
    }
  }

  /** {@code pong}: the answer to a server {@code ping}. */
  record Pong() implements ClientMessage {
    public static final String TYPE = "pong";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String ref() {
      return null;
    }
  }
}
