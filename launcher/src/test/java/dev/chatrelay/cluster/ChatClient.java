package dev.chatrelay.cluster;

import dev.chatrelay.it.Commands;
import dev.chatrelay.it.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A chat user as a robust client behaves, on the calling thread: subscribes its threads from
 * seq 0, sends one message per thread per round and waits for every reply to end; when the
 * connection drops it reconnects to the next gateway and resumes every thread from its last
 * seq; sends that failed or were not accepted before a drop are sent again with the same id; a
 * {@code reset} makes it subscribe again in the new epoch from 0. Everything shown goes through
 * a {@link ClientView}; every wait for a reply goes into {@link Pauses}.
 */
final class ChatClient implements AutoCloseable {

  /** Pause before retrying what failed (a send answered {@code error}, a refused connect). */
  private static final long RETRY_MS = 200;
  /** One poll of the socket; also how often due retries are looked at. */
  private static final Duration POLL = Duration.ofMillis(100);
  /** Connecting to the gateways in turn gives up after this. */
  private static final long CONNECT_DEADLINE_MS = 60_000;

  private final Vertx vertx;
  final String sub;
  private final String token;
  private final List<Integer> gateways;
  private final List<String> threads;
  final ClientView view;
  private final Pauses pauses;
  private volatile int gateway;
  private WsTestClient ws;
  /** Close code of each dropped connection (-1: none, e.g. the process was killed) → count. */
  private final Map<Integer, Integer> closes = new ConcurrentHashMap<>();
  /** Written by the client's own thread, read by the test's (volatile: one writer). */
  private volatile int reconnects;
  private volatile int resets;
  /** Sends of the running round accepted so far (read by the test's thread). */
  private volatile int acceptedInRound;
  /** thread → id of the send of the running round. */
  private final Map<String, String> sends = new HashMap<>();
  private final Set<String> accepted = new HashSet<>();
  private final Set<String> ended = new HashSet<>();
  /** id of a send to make again → when. */
  private final Map<String, Long> resendAt = new HashMap<>();
  /** thread to subscribe again → when. */
  private final Map<String, Long> resubscribeAt = new HashMap<>();

  ChatClient(Vertx vertx, String sub, String token, List<Integer> gateways, int firstGateway,
      List<String> threads, Pauses pauses) {
    this.vertx = vertx;
    this.sub = sub;
    this.token = token;
    this.gateways = List.copyOf(gateways);
    this.gateway = firstGateway % gateways.size();
    this.threads = List.copyOf(threads);
    this.view = new ClientView(sub);
    this.pauses = pauses;
  }

  int reconnects() {
    return reconnects;
  }

  int resets() {
    return resets;
  }

  /** True once every send of the running round was accepted. */
  boolean roundAccepted() {
    return acceptedInRound == threads.size();
  }

  /** Index of the gateway this client is connected (or connecting) to. */
  int gateway() {
    return gateway;
  }

  /** How its connections were closed: close code (-1 when none came) → count. */
  Map<Integer, Integer> closes() {
    return Map.copyOf(closes);
  }

  List<String> threads() {
    return threads;
  }

  /** Connects and subscribes every thread from the start. */
  void start() {
    connect();
    for (String thread : threads) {
      ws.send(Commands.subscribe(thread, 0));
    }
  }

  /** Sends one message per thread and waits until every reply ended; false on timeout. */
  boolean round(String round, Duration timeout) {
    sends.clear();
    accepted.clear();
    acceptedInRound = 0;
    ended.clear();
    resendAt.clear();
    for (String thread : threads) {
      String id = sub + "-" + round + "-" + thread;
      sends.put(thread, id);
      send(thread, id);
    }
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    long lastProgress = System.currentTimeMillis();
    while (ended.size() < threads.size()) {
      long now = System.currentTimeMillis();
      if (now > deadline) {
        view.violation("round " + round + " incomplete after " + timeout.toMillis() + " ms: ended "
            + ended + " accepted " + accepted.size() + " of " + threads.size());
        return false;
      }
      runDueRetries(now);
      JsonObject m = ws.poll(POLL, false);
      if (m == null) {
        if (ws.isClosed()) {
          reconnect();
        }
        continue;
      }
      if (handle(m)) {
        long at = System.currentTimeMillis();
        pauses.stalled(lastProgress, at);
        lastProgress = at;
      }
    }
    return true;
  }

  /** Reads what is queued until nothing arrives for {@code quiet} (after a round, before checks). */
  void settle(Duration quiet) {
    while (true) {
      JsonObject m = ws.poll(quiet, false);
      if (m == null) {
        if (ws.isClosed()) {
          reconnect();
          continue;
        }
        if (resubscribeAt.isEmpty()) {
          return;
        }
        runDueRetries(System.currentTimeMillis());
        continue;
      }
      handle(m);
    }
  }

  /** Handles one server message; true when it was progress on a reply (frame or accepted). */
  private boolean handle(JsonObject m) {
    String type = m.getString("type");
    switch (type) {
      case "subscribed" -> {
        view.epoch(m.getString("thread"), m.getString("epoch"));
        resubscribeAt.remove(m.getString("thread"));
      }
      case "reset" -> {
        resets++;
        String thread = m.getString("thread");
        view.epoch(thread, m.getString("epoch"));
        ws.trySend(Commands.subscribe(thread, m.getString("epoch"), 0));
      }
      case "frame" -> {
        view.onFrame(m);
        String thread = m.getString("thread");
        if ("typing".equals(m.getString("kind"))
            && !m.getJsonObject("data").getBoolean("on", true)
            && m.getString("replyTo").equals(sends.get(thread))) {
          ended.add(thread);
        }
        return true;
      }
      case "accepted" -> {
        accepted.add(m.getString("id"));
        acceptedInRound = (int) sends.values().stream().filter(accepted::contains).count();
        resendAt.remove(m.getString("id"));
        return true;
      }
      case "error" -> {
        String ref = m.getString("ref");
        long at = System.currentTimeMillis() + RETRY_MS;
        if (ref != null && sends.containsValue(ref) && !accepted.contains(ref)) {
          resendAt.put(ref, at);
        } else if (ref != null && threads.contains(ref)) {
          resubscribeAt.put(ref, at);
        } else {
          view.violation("unexpected error " + m.encode());
        }
      }
      default -> { } // welcome, unsubscribed, pong, token_expiring: nothing to do
    }
    return false;
  }

  private void runDueRetries(long now) {
    for (Map.Entry<String, String> e : sends.entrySet()) {
      Long at = resendAt.get(e.getValue());
      if (at != null && at <= now) {
        resendAt.remove(e.getValue());
        send(e.getKey(), e.getValue());
      }
    }
    for (String thread : threads) {
      Long at = resubscribeAt.get(thread);
      if (at != null && at <= now) {
        resubscribeAt.remove(thread);
        ws.trySend(resubscribe(thread));
      }
    }
  }

  private void send(String thread, String id) {
    ws.trySend(Commands.send(thread, id, "hi from " + id));
  }

  private JsonObject resubscribe(String thread) {
    String epoch = view.epoch(thread);
    return epoch == null ? Commands.subscribe(thread, 0)
        : Commands.subscribe(thread, epoch, view.lastSeq(thread));
  }

  /** The connection dropped: resume every thread elsewhere and send again what was not accepted. */
  private void reconnect() {
    reconnects++;
    Short code = ws.closeCode();
    closes.merge(code == null ? -1 : (int) code, 1, Integer::sum);
    gateway = (gateway + 1) % gateways.size();
    connect();
    for (String thread : threads) {
      if (view.epoch(thread) == null) {
        ws.trySend(Commands.subscribe(thread, 0)); // never subscribed: not in the resume
      }
    }
    for (Map.Entry<String, String> e : sends.entrySet()) {
      if (!accepted.contains(e.getValue()) && !ended.contains(e.getKey())) {
        send(e.getKey(), e.getValue());
      }
    }
  }

  private void connect() {
    long deadline = System.currentTimeMillis() + CONNECT_DEADLINE_MS;
    while (true) {
      int port = gateways.get(gateway);
      try {
        WsTestClient next = WsTestClient.open(vertx, port, WsTestClient.Options.defaults());
        JsonArray resume = resumeEntries();
        next.send(resume.isEmpty() ? Commands.hello(token) : Commands.hello(token)
            .put("resume", resume));
        ws = next;
        return;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(sub + " could not reach any gateway", e);
        }
        gateway = (gateway + 1) % gateways.size();
        backoff();
      }
    }
  }

  private JsonArray resumeEntries() {
    JsonArray resume = new JsonArray();
    for (String thread : threads) {
      String epoch = view.epoch(thread);
      if (epoch != null) {
        resume.add(Commands.resumeEntry(thread, epoch, view.lastSeq(thread)));
      }
    }
    return resume;
  }

  /** The client's own reconnect backoff (behaviour under test, not test synchronization). */
  private static void backoff() {
    try {
      TimeUnit.MILLISECONDS.sleep(RETRY_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  @Override
  public void close() {
    if (ws != null) {
      ws.close();
    }
  }
}
