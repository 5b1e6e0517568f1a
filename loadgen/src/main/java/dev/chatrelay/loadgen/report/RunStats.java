package dev.chatrelay.loadgen.report;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters shared by every connection of a run. Latency and delivered frames count only inside
 * the measured window (after warm-up, before the end of the duration).
 */
public final class RunStats {

  /** Latencies above this are clamped (µs): one hour. */
  private static final long MAX_LATENCY_MICROS = 3_600_000_000L;
  /** HdrHistogram precision. */
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, SIGNIFICANT_DIGITS);
  private final LongAdder measuredFrames = new LongAdder();
  private final LongAdder totalFrames = new LongAdder();
  private final LongAdder sends = new LongAdder();
  private final LongAdder compactedRuns = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
  private final long baseMillis = System.currentTimeMillis();
  private final long baseNanos = System.nanoTime();
  private volatile boolean measuring;

  public void startMeasuring() {
    latency.reset();
    measuring = true;
  }

  public void stopMeasuring() {
    measuring = false;
  }

  /** Wall-clock now in µs, from one currentTimeMillis reading plus nanoTime (no per-call allocation). */
  public long nowMicros() {
    return baseMillis * 1000 + (System.nanoTime() - baseNanos) / 1000;
  }

  /** One processed frame journaled at {@code tsMillis}. */
  public void frame(long tsMillis) {
    totalFrames.increment();
    if (measuring) {
      measuredFrames.increment();
      if (tsMillis > 0) {
        latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, nowMicros() - tsMillis * 1000)));
      }
    }
  }

  /** One {@code compacted} notice processed (legal: PROTOCOL.md, Compaction). */
  public void compactedRun() {
    compactedRuns.increment();
  }

  public long compactedRuns() {
    return compactedRuns.sum();
  }

  public void send() {
    sends.increment();
  }

  public void connectFailure() {
    connectFailures.increment();
  }

  public void error(String code) {
    errors.computeIfAbsent(String.valueOf(code), k -> new LongAdder()).increment();
  }

  public void close(int code) {
    closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  public long measuredFrames() {
    return measuredFrames.sum();
  }

  public long totalFrames() {
    return totalFrames.sum();
  }

  public long sends() {
    return sends.sum();
  }

  public long connectFailures() {
    return connectFailures.sum();
  }

  /** The latencies recorded since {@link #startMeasuring()}, in µs. */
  public Histogram latencySnapshot() {
    return latency.getIntervalHistogram();
  }

  public Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public Map<Integer, Long> closeCodes() {
    Map<Integer, Long> out = new TreeMap<>();
    closeCodes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
