package dev.chatrelay.it.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Conversations;
import dev.chatrelay.it.TestSystem;
import dev.chatrelay.it.WsTestClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An innocent user of the same gateway: its reply latency (send → last frame of the reply)
 * before and during an attack shows whether the attack disturbs others (PROTOCOL.md: exceeding a
 * limit never disturbs other users; issue 9: within 2x of the baseline).
 */
final class Victim implements AutoCloseable {

  /** Replies per median: enough that one scheduling hiccup does not decide it. */
  static final int REPLIES = 7;
  /**
   * Added to the 2x bound: the clock's and the scheduler's granularity on a shared 2-core
   * machine, small next to a reply of 8 chunks at RELAY_SCRIPTED_DELAY_MS=20 (~180 ms).
   */
  static final long SLACK_MS = 40;

  private final WsTestClient client;
  private final String thread;
  private int sends;
  private long baselineMs = -1;

  Victim(TestSystem system, String sub) {
    this.client = system.connectAs(sub);
    this.thread = "victim-thread";
    Conversations.subscribe(client, thread, 0);
  }

  /** Median reply latency over {@link #REPLIES} replies, in ms. */
  long medianReplyMs() {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < REPLIES; i++) {
      long start = System.nanoTime();
      Conversations.send(client, thread, "v" + (sends++), "how are you " + i);
      samples.add((System.nanoTime() - start) / 1_000_000);
    }
    Collections.sort(samples);
    return samples.get(samples.size() / 2);
  }

  /** Measures the baseline; call before the attack starts. */
  long baseline() {
    medianReplyMs(); // warm-up: class loading, JIT
    baselineMs = medianReplyMs();
    return baselineMs;
  }

  /** Measures now and asserts the median is within 2x the baseline (plus {@link #SLACK_MS}). */
  long assertStillServed(String attack) {
    long during = medianReplyMs();
    System.out.printf("victim latency attack=%s baseline_ms=%d during_ms=%d%n", attack, baselineMs, during);
    assertTrue(baselineMs >= 0, "baseline measured first");
    assertTrue(during <= 2 * baselineMs + SLACK_MS, "victim's median reply latency during " + attack
        + ": " + during + " ms, baseline " + baselineMs + " ms");
    return during;
  }

  @Override
  public void close() {
    client.close();
  }
}
