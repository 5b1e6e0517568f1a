package dev.chatrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.it.HistoryApi;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs chat rounds on many {@link ChatClient}s at once, one thread each, until stopped; then
 * checks every client's view against the history API: the frames of every thread exactly as
 * journaled, once each, in order, with no gap.
 */
final class Chatter implements AutoCloseable {

  /** Longest a round may take, a relay failover and a lease expiry included. */
  static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);

  private final List<ChatClient> clients;
  private final ExecutorService threads;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger rounds = new AtomicInteger();
  private final List<Future<?>> running = new ArrayList<>();

  Chatter(List<ChatClient> clients) {
    this.clients = List.copyOf(clients);
    this.threads = Executors.newFixedThreadPool(clients.size());
  }

  /** Starts every client; each chats round after round until {@link #stopAndSettle}. */
  void start() {
    for (ChatClient client : clients) {
      running.add(threads.submit(() -> {
        client.start();
        for (int r = 0; !stopping.get(); r++) {
          if (!client.round("r" + r, ROUND_TIMEOUT)) {
            return;
          }
          rounds.incrementAndGet();
        }
      }));
    }
  }

  /** Reconnects of all clients together. */
  int reconnects() {
    return clients.stream().mapToInt(ChatClient::reconnects).sum();
  }

  /** Rounds completed by all clients together. */
  int rounds() {
    return rounds.get();
  }

  /** Lets every client finish its round, then reads what is still on its way. */
  void stopAndSettle() throws Exception {
    stopping.set(true);
    for (Future<?> f : running) {
      f.get(ROUND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
    for (ChatClient client : clients) {
      client.settle(Duration.ofMillis(300));
    }
  }

  /** Every client's view equals the journal's history of its threads; returns frames checked. */
  int verify(HistoryApi api, java.util.function.Function<String, String> tokenOf) {
    int checked = 0;
    for (ChatClient client : clients) {
      assertEquals(List.of(), client.view.violations(), "violations of " + client.sub);
      for (String thread : client.threads()) {
        List<JsonObject> history = api.allFrames(tokenOf.apply(client.sub), thread);
        List<JsonObject> seen = client.view.frames(thread);
        assertEquals(history.size(), seen.size(), client.sub + "/" + thread + " frame count");
        for (int i = 0; i < history.size(); i++) {
          assertEquals(history.get(i), seen.get(i), client.sub + "/" + thread + " frame " + i);
        }
        checked += seen.size();
      }
    }
    return checked;
  }

  @Override
  public void close() {
    stopping.set(true);
    threads.shutdownNow();
    for (ChatClient client : clients) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // the connection is gone already: nothing to release
      }
    }
  }
}
