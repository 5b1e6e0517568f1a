package dev.chatrelay.loadgen.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's heap as far as a client can see it: {@code jcmd} when the pid is known (after a
 * forced full GC) and {@code jvm_memory_used_bytes{area="heap"}} from {@code /metrics} when exposed.
 */
public final class ServerHeap {

  private static final Logger LOG = LoggerFactory.getLogger(ServerHeap.class);
  /** Time allowed for the /metrics request. */
  private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(10);

  /** One reading; absent values are -1. */
  public record Reading(long jcmdBytes, long metricsBytes) {
  }

  private final long pid;
  private final URI metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(METRICS_TIMEOUT).build();

  public ServerHeap(long pid, URI httpBase) {
    this.pid = pid;
    this.metrics = httpBase.resolve("/metrics");
  }

  /** Forces a GC (when the pid is known), then reads both sources. */
  public Reading read() {
    if (pid > 0) {
      ProcessProbe.forceGc(pid);
    }
    OptionalLong jcmd = ProcessProbe.heapViaJcmd(pid);
    return new Reading(jcmd.orElse(-1), fromMetrics().orElse(-1));
  }

  private OptionalLong fromMetrics() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(METRICS_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? HeapTexts.heapFromMetrics(r.body()) : OptionalLong.empty();
    } catch (IOException e) {
      LOG.debug("event=metrics.unreadable url={} cause={}", metrics, e.toString());
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }
}
