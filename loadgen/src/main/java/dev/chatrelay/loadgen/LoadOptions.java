package dev.chatrelay.loadgen;

import dev.chatrelay.loadgen.client.LoopbackGuard;
import dev.chatrelay.loadgen.client.WireProtocol;
import dev.chatrelay.loadgen.report.RoleCpu;
import dev.chatrelay.protocol.config.Settings;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a run is told, from {@code --name value} arguments, else {@code LOADGEN_NAME}
 * environment variables, else the defaults below. Every run is bounded in time and in count.
 */
public record LoadOptions(
    URI url,
    URI http,
    String secret,
    Scenario scenario,
    int users,
    int connectionsPerUser,
    long intervalMs,
    int durationS,
    int warmupS,
    int rate,
    String label,
    String results,
    long serverPid,
    Map<String, Long> rolePids,
    int eventLoops,
    int connectConcurrency,
    int drainS,
    int framesPerSend,
    int textBytes,
    int maxUserSendsPerS,
    long maxSends,
    int checkWindow,
    int stormSendsBefore,
    long stormCutAfterMs,
    boolean nativeTransport,
    WireProtocol protocol) {

  /** Gateway WebSocket URL. */
  static final String DEFAULT_URL = "ws://127.0.0.1:8080/ws";
  /** Simulated users. */
  static final int DEFAULT_USERS = 100;
  /** Most connections one run opens (file descriptors: the box allows 20,000 per process). */
  static final int MAX_CONNECTIONS = 15_000;
  /** Longest measured duration (s). */
  static final int MAX_DURATION_S = 600;
  /** Measured seconds by default. */
  static final int DEFAULT_DURATION_S = 20;
  /** Warm-up seconds by default (not measured): JIT compilation of both JVMs settles in about 5 s. */
  static final int DEFAULT_WARMUP_S = 5;
  /** Driver event loops: it shares the cores with the server. */
  static final int DEFAULT_EVENT_LOOPS = 2;
  /** Connections being opened at once. */
  static final int DEFAULT_CONNECT_CONCURRENCY = 512;
  /** Seconds allowed after the duration for queued replies to finish. */
  static final int DEFAULT_DRAIN_S = 15;
  /** Frames one send yields with the scripted engine's 8 chunks (user_message, typing ×2, message). */
  static final int DEFAULT_FRAMES_PER_SEND = 12;
  /** Bytes of text per send. */
  static final int DEFAULT_TEXT_BYTES = 32;
  /** Sends per second one connection makes at most: the server's command limit is 50/s. */
  static final int DEFAULT_MAX_USER_SENDS_PER_S = 40;
  /** Sends per run at most. */
  static final long DEFAULT_MAX_SENDS = 5_000_000;
  /** Recent frames per view kept for the history comparison (the default retention). */
  static final int DEFAULT_CHECK_WINDOW = 1000;
  /** Storm: replies completed per connection before the cut. */
  static final int DEFAULT_STORM_SENDS_BEFORE = 1;
  /** Storm: how long after its last send each socket is cut (ms); 0 = right after the write. */
  static final long DEFAULT_STORM_CUT_AFTER_MS = 0;

  /** Netty's native epoll transport when available (less CPU per frame); false = NIO. */
  static final boolean DEFAULT_NATIVE_TRANSPORT = true;

  public LoadOptions {
    if (users < 1 || (long) users * connectionsPerUser > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("--users × --connections-per-user must be 1.." + MAX_CONNECTIONS);
    }
    if (connectionsPerUser < 1 || (scenario != Scenario.FANOUT && connectionsPerUser != 1)) {
      throw new IllegalArgumentException("--connections-per-user must be ≥ 1 and is only for fanout");
    }
    if (durationS < 1 || durationS > MAX_DURATION_S) {
      throw new IllegalArgumentException("--duration-s must be 1.." + MAX_DURATION_S);
    }
    if (rate > 0 && (double) rate / framesPerSend / users > maxUserSendsPerS) {
      throw new IllegalArgumentException("--rate " + rate + " needs more than " + maxUserSendsPerS
          + " sends/s per user (server command limit): raise --users to at least "
          + (int) Math.ceil((double) rate / framesPerSend / maxUserSendsPerS));
    }
    if (intervalMs > 0 && rate == 0 && 1000.0 / intervalMs > maxUserSendsPerS) {
      throw new IllegalArgumentException("--interval-ms " + intervalMs + " is more than " + maxUserSendsPerS
          + " sends/s per user (server command limit): use at least " + (int) Math.ceil(1000.0 / maxUserSendsPerS));
    }
    if (protocol != WireProtocol.RELAY && scenario != Scenario.CHAT && scenario != Scenario.FANOUT) {
      throw new IllegalArgumentException("--protocol " + protocol.wire() + " runs chat and fanout only (no resume, no history API)");
    }
    if (label == null || label.isBlank()) {
      label = scenario.wire();
    }
  }

  /** Slack of the hard time bound over the planned phases (s): connects, history checks, closing. */
  static final int HARD_LIMIT_SLACK_S = 120;
  /** Drain-length waits a scenario may make at most (quiescence, cut, close, history). */
  static final int DRAIN_WAITS = 8;

  /** The longest a run may take before the watchdog ends it (s). */
  public long hardLimitSeconds() {
    return warmupS + durationS + (long) DRAIN_WAITS * drainS + HARD_LIMIT_SLACK_S;
  }

  /** Sends per second per user when {@code --rate} paces the run, else 0. */
  public double userSendsPerSecond() {
    return rate > 0 ? (double) rate / framesPerSend / users : 0;
  }

  public int connections() {
    return users * connectionsPerUser;
  }

  /** Parses {@code --name value} / {@code --name=value}; missing ones from {@code LOADGEN_NAME} in env. */
  public static LoadOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        given.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        given.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
    }
    Reader r = new Reader(given, env);
    Scenario scenario = Scenario.parse(r.string("scenario", "chat"));
    URI url = LoopbackGuard.requireLoopback("--url", r.string("url", DEFAULT_URL));
    String defaultHttp = "http://" + url.getRawAuthority();
    URI http = LoopbackGuard.requireLoopback("--http", r.string("http", defaultHttp));
    String secret = r.string("secret", env.get(Settings.JWT_HS256_SECRET.name())); // the gateway's own key
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("--secret (or LOADGEN_SECRET / RELAY_JWT_HS256_SECRET) is required to sign tokens");
    }
    LoadOptions o = new LoadOptions(url, http, secret, scenario,
        r.integer("users", DEFAULT_USERS, 1, MAX_CONNECTIONS),
        r.integer("connections-per-user", 1, 1, 1000),
        r.integer("interval-ms", 0, 0, 3_600_000),
        r.integer("duration-s", DEFAULT_DURATION_S, 1, MAX_DURATION_S),
        r.integer("warmup-s", DEFAULT_WARMUP_S, 0, 120),
        r.integer("rate", 0, 0, 10_000_000),
        r.string("label", null),
        r.string("results", "bench/results/results.jsonl"),
        r.integer("server-pid", 0, 0, Integer.MAX_VALUE),
        RoleCpu.parse(r.string("role-pids", "")),
        r.integer("event-loops", DEFAULT_EVENT_LOOPS, 1, 64),
        r.integer("connect-concurrency", DEFAULT_CONNECT_CONCURRENCY, 1, MAX_CONNECTIONS),
        r.integer("drain-s", DEFAULT_DRAIN_S, 1, 600),
        r.integer("frames-per-send", DEFAULT_FRAMES_PER_SEND, 1, 10_000),
        r.integer("text-bytes", DEFAULT_TEXT_BYTES, 8, 16_384),
        r.integer("max-user-sends-per-s", DEFAULT_MAX_USER_SENDS_PER_S, 1, 1000),
        r.integer("max-sends", DEFAULT_MAX_SENDS, 1, Integer.MAX_VALUE),
        r.integer("check-window", DEFAULT_CHECK_WINDOW, 1, 1_000_000),
        r.integer("storm-sends-before", DEFAULT_STORM_SENDS_BEFORE, 0, 100),
        r.integer("storm-cut-after-ms", DEFAULT_STORM_CUT_AFTER_MS, 0, 60_000),
        r.bool("native-transport", DEFAULT_NATIVE_TRANSPORT),
        WireProtocol.parse(r.string("protocol", "relay")));
    r.rejectUnknown();
    return o;
  }

  /** Reads named values with env fallback and range checks; remembers which were used. */
  private static final class Reader {
    private final Map<String, String> given;
    private final Map<String, String> env;
    private final java.util.Set<String> used = new java.util.HashSet<>();

    Reader(Map<String, String> given, Map<String, String> env) {
      this.given = given;
      this.env = env;
    }

    String string(String name, String fallback) {
      used.add(name);
      String v = given.get(name);
      if (v == null) {
        v = env.get("LOADGEN_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      }
      return v == null || v.isBlank() ? fallback : v.trim();
    }

    int integer(String name, long fallback, long min, long max) {
      String v = string(name, null);
      if (v == null) {
        return (int) fallback;
      }
      long parsed;
      try {
        parsed = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": expected an integer, got " + v);
      }
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException("--" + name + ": expected " + min + ".." + max + ", got " + v);
      }
      return (int) parsed;
    }

    boolean bool(String name, boolean fallback) {
      String v = string(name, null);
      if (v == null) {
        return fallback;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException("--" + name + ": expected true or false, got " + v);
      };
    }

    void rejectUnknown() {
      for (String name : given.keySet()) {
        if (!used.contains(name)) {
          throw new IllegalArgumentException("unknown option --" + name);
        }
      }
    }
  }
}
