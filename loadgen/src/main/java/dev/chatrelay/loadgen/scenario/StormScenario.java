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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code storm}: N subscribed connections each send once more and are cut at once right after
 * (TCP closed, no close handshake; {@code --storm-cut-after-ms} later), so replies are in flight;
 * then all reconnect with {@code hello.resume} from their cursors and send again, same id, what
 * was not accepted. Reports the time from the cut until every connection is resumed
 * ({@code subscribed}) and caught up (all replies complete), the frames replayed, and the loss.
 */
public final class StormScenario {

  private StormScenario() {
  }

  public static ScenarioOutcome run(RunContext ctx) {
    LoadOptions o = ctx.options();
    List<SimUser> users = ctx.users();
    List<ThreadView> views = new ArrayList<>();
    List<List<ThreadView>> viewsByUser = new ArrayList<>();
    List<DriverConnection> first = new ArrayList<>();
    for (SimUser u : users) {
      ThreadView view = ctx.newView("u" + u.index(), u);
      views.add(view);
      viewsByUser.add(List.of(view));
      first.add(new DriverConnection(ctx.connector(), "u" + u.index() + "/a", u.token(), List.of(view), false));
    }
    int opened = ctx.openAll(first, c -> { });
    List<Future<Void>> sent = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      DriverConnection c = first.get(i);
      ThreadView v = views.get(i);
      sent.add(c.call(() -> {
        for (int k = 1; k <= o.stormSendsBefore(); k++) {
          c.send(v, "m" + k, SimUser.textFor("m" + k, o.textBytes()));
        }
      }));
    }
    Future.join(sent).otherwiseEmpty().await();
    ctx.awaitQuiescent(views, o.drainS() * 1000L);

    // Each connection sends once more and is cut right after, so its reply is in flight.
    Measurement measurement = new Measurement(ctx.stats(), o.serverPid(), o.rolePids());
    measurement.start();
    long framesBeforeCut = ctx.stats().totalFrames();
    long cutStart = System.nanoTime();
    List<Future<Integer>> cuts = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      DriverConnection c = first.get(i);
      ThreadView v = views.get(i);
      c.run(() -> {
        c.send(v, "cut", SimUser.textFor("cut", o.textBytes()));
        if (o.stormCutAfterMs() == 0) {
          c.cutNow();
        } else {
          ctx.vertx().setTimer(o.stormCutAfterMs(), t -> c.cutNow());
        }
      });
      cuts.add(c.closed());
    }
    try {
      Future.join(cuts).await(o.drainS(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      ctx.violations().add("storm", "sockets not closed within " + o.drainS() + " s of the cut");
    }
    long cutMs = millisSince(cutStart);
    long framesAtCut = ctx.stats().totalFrames();

    AtomicLong lastResumed = new AtomicLong(cutStart);
    List<DriverConnection> second = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      SimUser u = users.get(i);
      second.add(new DriverConnection(ctx.connector(), "u" + u.index() + "/b", u.token(), List.of(views.get(i)), true));
    }
    int resumed = ctx.openAll(second, c -> {
      lastResumed.accumulateAndGet(System.nanoTime(), Math::max);
    });
    for (int i = 0; i < second.size(); i++) {
      DriverConnection c = second.get(i);
      ThreadView v = views.get(i);
      c.run(() -> v.unacceptedSends().forEach(id -> c.send(v, id, SimUser.textFor(id, o.textBytes()))));
    }
    boolean caughtUp = ctx.awaitQuiescent(views, o.drainS() * 1000L);
    long caughtUpMs = millisSince(cutStart);
    Measurement.Window window = measurement.stop();
    long lost = ctx.verifyHistory(RunContext.byUser(users, viewsByUser));
    ctx.closeAll(second);

    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("storm_connections", opened);
    extra.put("storm_resumed", resumed);
    extra.put("storm_cut_ms", cutMs);
    extra.put("storm_resumed_ms", resumed == users.size() ? (lastResumed.get() - cutStart) / 1_000_000 : -1);
    extra.put("storm_caught_up_ms", caughtUp ? caughtUpMs : -1);
    extra.put("storm_frames_before_close", framesAtCut - framesBeforeCut);
    extra.put("storm_frames_after_resume", ctx.stats().totalFrames() - framesAtCut);
    return new ScenarioOutcome(resumed, lost, window, extra);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
