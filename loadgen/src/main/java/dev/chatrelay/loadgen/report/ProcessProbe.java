package dev.chatrelay.loadgen.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CPU and heap of this process (MXBeans) and of a server process given by pid (/proc, jcmd). */
public final class ProcessProbe {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessProbe.class);
  /** Clock ticks per second of /proc/<pid>/stat when getconf is unavailable. */
  private static final long DEFAULT_CLK_TCK = 100;
  /** Longest a jcmd call may take (s). */
  private static final long JCMD_TIMEOUT_S = 30;
  private static final long CLK_TCK = clockTicks();

  private ProcessProbe() {
  }

  /** CPU time this JVM has used (ns). */
  public static long selfCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Heap used by this JVM now (bytes). */
  public static long selfHeapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Busy CPU time of the whole box (ns), from the {@code cpu} line of /proc/stat: every process,
   * ours and others', so a window's figure shows how much of the box the run did not have.
   */
  public static OptionalLong boxBusyCpuNanos() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
        busy += Long.parseLong(f[i]);
      }
      return OptionalLong.of(busy * 1_000_000_000L / CLK_TCK);
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=proc.stat_unreadable pid=all cause={}", e.toString());
      return OptionalLong.empty();
    }
  }

  /** CPU time {@code pid} has used (ns), from utime + stime of /proc/<pid>/stat. */
  public static OptionalLong processCpuNanos(long pid) {
    if (pid <= 0) {
      return OptionalLong.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return OptionalLong.of(ticks * 1_000_000_000L / CLK_TCK);
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=proc.stat_unreadable pid={} cause={}", pid, e.toString());
      return OptionalLong.empty();
    }
  }

  /** Runs {@code jcmd <pid> GC.run}: a full GC, so the next heap reading is live data only. */
  public static boolean forceGc(long pid) {
    return jcmd(pid, "GC.run") != null;
  }

  /** Heap used by {@code pid} according to {@code jcmd GC.heap_info} (bytes). */
  public static OptionalLong heapViaJcmd(long pid) {
    String out = jcmd(pid, "GC.heap_info");
    return out == null ? OptionalLong.empty() : HeapTexts.usedFromHeapInfo(out);
  }

  private static String jcmd(long pid, String command) {
    if (pid <= 0) {
      return null;
    }
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
        LOG.warn("event=jcmd.failed pid={} command={} output={}", pid, command, out.strip());
        return null;
      }
      return out;
    } catch (IOException e) {
      LOG.warn("event=jcmd.unavailable pid={} cause={}", pid, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_CLK_TCK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_CLK_TCK;
    }
  }
}
