package dev.chatrelay.loadgen.scenario;

import dev.chatrelay.loadgen.LoadOptions;
import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.client.DriverConnection;
import dev.chatrelay.loadgen.report.Measurement;
import dev.chatrelay.loadgen.report.ServerHeap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: N connections, each subscribed to its own (empty) thread, held for the duration
 * (answering pings). The server heap is read before and after (forced GC first) to give the heap
 * cost of one idle subscribed connection.
 */
public final class IdleScenario {

  private IdleScenario() {
  }

  public static ScenarioOutcome run(RunContext ctx) {
    LoadOptions o = ctx.options();
    ServerHeap heap = new ServerHeap(o.serverPid(), o.http());
    ServerHeap.Reading before = heap.read();
    List<SimUser> users = ctx.users();
    List<List<ThreadView>> viewsByUser = new ArrayList<>();
    List<DriverConnection> conns = new ArrayList<>();
    for (SimUser u : users) {
      ThreadView view = ctx.newView("u" + u.index(), u);
      viewsByUser.add(List.of(view));
      conns.add(new DriverConnection(ctx.connector(), "u" + u.index(), u.token(), List.of(view), false));
    }
    int opened = ctx.openAll(conns, c -> { });
    Measurement measurement = new Measurement(ctx.stats(), o.serverPid(), o.rolePids());
    measurement.start();
    ctx.pause(o.durationS() * 1000L);
    Measurement.Window window = measurement.stop();
    ServerHeap.Reading after = heap.read();
    long lost = ctx.verifyHistory(RunContext.byUser(users, viewsByUser));
    ctx.closeAll(conns);

    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("heap_before_jcmd_bytes", before.jcmdBytes());
    extra.put("heap_after_jcmd_bytes", after.jcmdBytes());
    extra.put("heap_per_connection_jcmd_bytes", perConnection(before.jcmdBytes(), after.jcmdBytes(), opened));
    extra.put("heap_before_metrics_bytes", before.metricsBytes());
    extra.put("heap_after_metrics_bytes", after.metricsBytes());
    extra.put("heap_per_connection_metrics_bytes", perConnection(before.metricsBytes(), after.metricsBytes(), opened));
    return new ScenarioOutcome(opened, lost, window, extra);
  }

  private static long perConnection(long before, long after, int connections) {
    return before < 0 || after < 0 || connections == 0 ? -1 : (after - before) / connections;
  }
}
