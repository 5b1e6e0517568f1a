package dev.chatrelay.loadgen;

import dev.chatrelay.loadgen.check.Violations;
import dev.chatrelay.loadgen.client.AckPolicy;
import dev.chatrelay.loadgen.client.Connector;
import dev.chatrelay.loadgen.client.HistoryClient;
import dev.chatrelay.loadgen.report.ResultReport;
import dev.chatrelay.loadgen.report.RunResult;
import dev.chatrelay.loadgen.report.RunStats;
import dev.chatrelay.loadgen.scenario.ChatScenario;
import dev.chatrelay.loadgen.scenario.IdleScenario;
import dev.chatrelay.loadgen.scenario.RunContext;
import dev.chatrelay.loadgen.scenario.ScenarioOutcome;
import dev.chatrelay.loadgen.scenario.StormScenario;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of one scenario, start to verdict: one Vert.x instance, a few event loops. */
public final class LoadRun {

  private static final Logger LOG = LoggerFactory.getLogger(LoadRun.class);

  private LoadRun() {
  }

  /** Runs {@code o} and returns its result; never writes files or exits. */
  public static RunResult run(LoadOptions o) {
    String runId = Long.toString(System.currentTimeMillis(), 36)
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    RunStats stats = new RunStats();
    Violations violations = new Violations();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.eventLoops())
        .setPreferNativeTransport(o.nativeTransport()));
    try {
      Connector connector = new Connector(vertx, o.url(), o.protocol(), o.connections(), o.eventLoops(),
          AckPolicy.defaults(), stats, violations);
      HistoryClient history = new HistoryClient(o.http());
      RunContext ctx = new RunContext(o, vertx, connector, history, runId);
      LOG.info("event=run.start run={} scenario={} label={} users={} connections={}", runId,
          o.scenario().wire(), o.label(), o.users(), o.connections());
      ScenarioOutcome outcome = switch (o.scenario()) {
        case CHAT, FANOUT -> ChatScenario.run(ctx);
        case STORM -> StormScenario.run(ctx);
        case IDLE -> IdleScenario.run(ctx);
      };
      RunResult result = ResultReport.build(o, runId, stats, violations, outcome, vertx.isNativeTransportEnabled());
      LOG.info("event=run.end run={} ok={} violations={}", runId, result.ok(), result.violations());
      return result;
    } finally {
      vertx.close().await();
    }
  }
}
