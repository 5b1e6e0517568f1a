package dev.chatrelay.loadgen.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chatrelay.loadgen.check.FrameFingerprint;
import dev.chatrelay.loadgen.check.HistorySnapshot;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a whole thread through {@code GET /api/threads/{t}/frames}, page by page, into a snapshot.
 * Uses the JDK HTTP client: its per-request timeout held where Vert.x 5.0.7's pooled client
 * let a few reads under load hang past {@code RequestOptions} timeouts.
 */
public final class HistoryClient {

  /** Largest page the API serves. */
  public static final int PAGE_LIMIT = 1000;
  /** Pages read per thread at most (bounds a misbehaving server). */
  static final int MAX_PAGES = 1000;
  /** Time allowed per page, connect included. */
  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(PAGE_TIMEOUT)
      .build();
  private final URI base;

  public HistoryClient(URI httpUrl) {
    this.base = httpUrl;
  }

  /** Every retained frame of {@code thread} as {@code token}'s user sees it. */
  public Future<HistorySnapshot> read(String token, String thread) {
    return page(token, thread, 0, null, new Accumulator(), 0);
  }

  /** Collected seqs and fingerprints of all pages so far. */
  private static final class Accumulator {
    long[] seqs = new long[64];
    long[] fingerprints = new long[64];
    int size;

    void add(long seq, long fingerprint) {
      if (size == seqs.length) {
        seqs = Arrays.copyOf(seqs, size * 2);
        fingerprints = Arrays.copyOf(fingerprints, size * 2);
      }
      seqs[size] = seq;
      fingerprints[size++] = fingerprint;
    }

    HistorySnapshot snapshot(String epoch, long head) {
      return new HistorySnapshot(epoch, head, Arrays.copyOf(seqs, size), Arrays.copyOf(fingerprints, size));
    }
  }

  /** What one page said. */
  private record Page(String epoch, long head, long lastSeq, int frames) {
  }

  private Future<HistorySnapshot> page(String token, String thread, long after, String epoch,
      Accumulator acc, int pageNo) {
    URI uri = base.resolve("/api/threads/" + URLEncoder.encode(thread, StandardCharsets.UTF_8)
        + "/frames?after=" + after + "&limit=" + PAGE_LIMIT);
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(PAGE_TIMEOUT)
        .header("Authorization", "Bearer " + token).GET().build();
    return Future.fromCompletionStage(http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()))
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("history " + uri + " answered HTTP " + resp.statusCode());
          }
          Page p;
          try {
            p = parse(resp.body(), acc);
          } catch (IOException e) {
            return Future.failedFuture("history " + uri + " unparsable: " + e.getMessage());
          }
          if (epoch != null && !epoch.equals(p.epoch())) {
            return Future.failedFuture("history epoch changed between pages of " + thread);
          }
          boolean more = p.frames() > 0 && p.lastSeq() < p.head() && pageNo + 1 < MAX_PAGES;
          return more ? page(token, thread, p.lastSeq(), p.epoch(), acc, pageNo + 1)
              : Future.succeededFuture(acc.snapshot(p.epoch(), p.head()));
        });
  }

  private static Page parse(byte[] body, Accumulator acc) throws IOException {
    String epoch = null;
    long head = -1;
    long last = -1;
    int frames = 0;
    ServerMessage m = new ServerMessage();
    try (JsonParser p = MessageParser.open(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "epoch" -> epoch = p.getValueAsString();
          case "head" -> head = p.getValueAsLong(-1);
          case "frames" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new IOException("frames is not an array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
              MessageParser.parseObject(p, m);
              acc.add(m.seq, FrameFingerprint.of(m));
              last = m.seq;
              frames++;
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    if (head < 0) {
      throw new IOException("no head");
    }
    return new Page(epoch, head, last, frames);
  }
}
