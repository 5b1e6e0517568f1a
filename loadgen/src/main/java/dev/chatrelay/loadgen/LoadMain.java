package dev.chatrelay.loadgen;

import dev.chatrelay.loadgen.report.ResultReport;
import dev.chatrelay.loadgen.report.RunResult;
import java.io.IOException;

/**
 * The load driver's command line. Exit 0: the run passed; 1: a violation (gap, duplicate,
 * structure, loss, unexpected close, server error); 2: bad options or the run could not happen.
 */
public final class LoadMain {

  /** Exit code of a run that found a violation. */
  static final int EXIT_VIOLATION = 1;
  /** Exit code of bad options or a run that could not be carried out. */
  static final int EXIT_USAGE = 2;

  private LoadMain() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("loadgen: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    Watchdog.start(options.hardLimitSeconds(), EXIT_USAGE);
    RunResult result;
    try {
      result = LoadRun.run(options);
    } catch (RuntimeException e) {
      System.err.println("loadgen: run failed: " + e);
      System.exit(EXIT_USAGE);
      return;
    }
    ResultReport.print(result, System.out);
    try {
      ResultReport.append(result, options.results());
    } catch (IOException e) {
      System.err.println("loadgen: cannot append to " + options.results() + ": " + e);
      System.exit(EXIT_USAGE);
    }
    System.exit(result.ok() ? 0 : EXIT_VIOLATION);
  }

  static final String USAGE = """
      usage: java -jar loadgen.jar [--name value]...   (or LOADGEN_NAME=value)
        --url ws://127.0.0.1:8080/ws      gateway WebSocket (loopback only)
        --http http://127.0.0.1:8080      history API base (default: the url's host:port)
        --secret S                        HS256 secret (else LOADGEN_SECRET, RELAY_JWT_HS256_SECRET)
        --scenario chat|fanout|storm|idle
        --users N                         simulated users (default 100)
        --connections-per-user M          fanout only
        --interval-ms T                   chat send interval; 0 = closed loop
        --rate R                          target frames/s, paced over the users
        --duration-s D --warmup-s W       measured and warm-up seconds (20, 5)
        --label L --results FILE          run label; JSON-lines file (bench/results/results.jsonl)
        --server-pid P                    server CPU from /proc, heap via jcmd
        --protocol relay|socketio         socketio: messages inside Socket.IO events (url
                                          ws://127.0.0.1:P/socket.io/?EIO=4&transport=websocket);
                                          chat/fanout only: no acks, no history comparison
        --role-pids relay=P,worker=Q,...  CPU of each named process in the window, and per frame
        --event-loops --connect-concurrency --drain-s --frames-per-send --text-bytes --native-transport
        --max-user-sends-per-s --max-sends --check-window --storm-sends-before --storm-cut-after-ms
      """;
}
