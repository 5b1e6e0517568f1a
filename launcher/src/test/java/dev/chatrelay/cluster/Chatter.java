package dev.chatrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatrelay.it.HistoryApi;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  /** Rounds completed per client, in the order of {@link #clients}. */
  private final List<AtomicInteger> roundsOf = new ArrayList<>();
  private final List<Future<?>> running = new ArrayList<>();

  Chatter(List<ChatClient> clients) {
    this.clients = List.copyOf(clients);
    this.threads = Executors.newFixedThreadPool(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      roundsOf.add(new AtomicInteger());
    }
  }

  /** Starts every client; each chats round after round until {@link #stopAndSettle}. */
  void start() {
    chat("r", true);
  }

  /**
   * After {@link #stopAndSettle}: every client chats again on the connection it has, round after
   * round until the next {@link #stopAndSettle}; {@code phase} keeps the send ids apart.
   */
  void resume(String phase) {
    chat(phase, false);
  }

  private void chat(String phase, boolean connect) {
    stopping.set(false);
    running.clear();
    for (int i = 0; i < clients.size(); i++) {
      ChatClient client = clients.get(i);
      AtomicInteger own = roundsOf.get(i);
      running.add(threads.submit(() -> {
        if (connect) {
          client.start();
        }
        for (int r = 0; !stopping.get(); r++) {
          if (!client.round(phase + r, ROUND_TIMEOUT)) {
            return;
          }
          own.incrementAndGet();
          rounds.incrementAndGet();
        }
      }));
    }
  }

  /**
   * Every client runs exactly one round now ({@code connect}: connect and subscribe first);
   * each future gives when that client's replies all ended (epoch ms), or fails on a timeout.
   */
  List<Future<Long>> oneRound(String round, boolean connect, Duration timeout) {
    List<Future<Long>> ends = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      ChatClient client = clients.get(i);
      AtomicInteger own = roundsOf.get(i);
      ends.add(threads.submit(() -> {
        if (connect) {
          client.start();
        }
        if (!client.round(round, timeout)) {
          throw new AssertionError(client.sub + ": round " + round + " incomplete: "
              + client.view.violations());
        }
        own.incrementAndGet();
        rounds.incrementAndGet();
        return System.currentTimeMillis();
      }));
    }
    return ends;
  }

  /** True once every client's sends of the running round were accepted. */
  boolean roundAccepted() {
    return clients.stream().allMatch(ChatClient::roundAccepted);
  }

  /** Rounds completed by each client, in the order of {@link #clients}. */
  List<Integer> roundsEach() {
    return roundsOf.stream().map(AtomicInteger::get).toList();
  }

  /** The fewest rounds any one client completed: every client is past this many. */
  int minRounds() {
    return roundsOf.stream().mapToInt(AtomicInteger::get).min().orElse(0);
  }

  /** Resets ({@code reset} answers) of all clients together. */
  int resets() {
    return clients.stream().mapToInt(ChatClient::resets).sum();
  }

  /** Every client's violations so far (a waiting test fails fast on the first). */
  List<String> violations() {
    return clients.stream().flatMap(c -> c.view.violations().stream()).toList();
  }

  /** Connections closed with each code, over all clients. */
  Map<Integer, Integer> closes() {
    Map<Integer, Integer> all = new TreeMap<>();
    clients.forEach(c -> c.closes().forEach((code, n) -> all.merge(code, n, Integer::sum)));
    return all;
  }

  /** How many clients are on each of {@code gateways} gateways now. */
  int[] clientsPerGateway(int gateways) {
    int[] counts = new int[gateways];
    clients.forEach(c -> counts[c.gateway()]++);
    return counts;
  }

  List<ChatClient> clients() {
    return clients;
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
    settle();
  }

  /** Every client reads what is still on its way (no round running). */
  void settle() throws Exception {
    List<Future<?>> settling = new ArrayList<>();
    for (ChatClient client : clients) { // at once: one after the other costs 300 ms per client
      settling.add(threads.submit(() -> client.settle(Duration.ofMillis(300))));
    }
    for (Future<?> f : settling) {
      f.get(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
