package dev.chatrelay.loadgen.scenario;

import dev.chatrelay.loadgen.LoadOptions;
import dev.chatrelay.loadgen.check.ThreadView;
import dev.chatrelay.loadgen.client.DriverConnection;
import dev.chatrelay.loadgen.report.Measurement;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code chat} (one connection per user) and {@code fanout} (M connections per user, all on the
 * user's thread, connection 0 sending): every connection subscribes from 0 and checks every
 * frame; after the duration the senders stop, queued replies drain, and every view is compared
 * with the history API.
 */
public final class ChatScenario {

  private ChatScenario() {
  }

  public static ScenarioOutcome run(RunContext ctx) {
    LoadOptions o = ctx.options();
    List<SimUser> users = ctx.users();
    List<List<ThreadView>> viewsByUser = new ArrayList<>();
    List<ThreadView> allViews = new ArrayList<>();
    List<DriverConnection> conns = new ArrayList<>();
    List<Sender> senders = new ArrayList<>();
    SendBudget budget = new SendBudget(o.maxSends());
    for (SimUser u : users) {
      List<ThreadView> views = new ArrayList<>();
      for (int j = 0; j < o.connectionsPerUser(); j++) {
        String name = "u" + u.index() + "/c" + j;
        ThreadView view = ctx.newView(name, u);
        DriverConnection conn = new DriverConnection(ctx.connector(), name, u.token(), List.of(view), false);
        views.add(view);
        conns.add(conn);
        if (j == 0) {
          senders.add(new Sender(ctx.vertx(), o, u, conn, view, budget));
        }
      }
      viewsByUser.add(views);
      allViews.addAll(views);
    }
    int opened = ctx.openAll(conns, c -> { });
    senders.forEach(Sender::start);
    ctx.pause(o.warmupS() * 1000L);
    Measurement measurement = new Measurement(ctx.stats(), o.serverPid(), o.rolePids());
    measurement.start();
    ctx.pause(o.durationS() * 1000L);
    Measurement.Window window = measurement.stop();
    budget.stop();
    // A send may be under way on an event loop: once a no-op has run on every loop, none is.
    Future.join(conns.stream().map(c -> c.call(() -> { })).toList()).otherwiseEmpty().await();
    long drainStart = System.nanoTime();
    ctx.awaitQuiescent(allViews, o.drainS() * 1000L);
    long drainMs = (System.nanoTime() - drainStart) / 1_000_000;
    // Socket.IO has no history API: losses show only as gaps or unfinished replies there.
    boolean historyChecked = o.protocol().hasHistoryApi();
    long lost = historyChecked ? ctx.verifyHistory(RunContext.byUser(users, viewsByUser)) : 0;
    ctx.closeAll(conns);
    long replies = 0;
    for (List<ThreadView> views : viewsByUser) {
      replies += views.get(0).repliesCompleted();
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("mode", o.rate() > 0 ? "rate" : o.intervalMs() > 0 ? "interval" : "closed_loop");
    extra.put("replies_completed", replies);
    extra.put("drain_ms", drainMs);
    extra.put("history_checked", historyChecked);
    return new ScenarioOutcome(opened, lost, window, extra);
  }
}
