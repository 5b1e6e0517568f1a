package dev.chatrelay.loadgen.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time of named processes (the roles of a cluster, Redis) over the measured window, from
 * /proc: per-process CPU per frame does not move with the load of a shared box as much as
 * throughput does, so it is what A/B comparisons of the cluster mode read.
 */
public final class RoleCpu {

  private final Map<String, Long> pids;
  private final Map<String, Long> startNanos = new LinkedHashMap<>();

  /** {@code pids}: role name to process id, in the order the report lists them. */
  public RoleCpu(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
  }

  public void start() {
    pids.forEach((role, pid) -> ProcessProbe.processCpuNanos(pid)
        .ifPresent(ns -> startNanos.put(role, ns)));
  }

  /** CPU nanoseconds each role used since {@link #start()}; roles unreadable at either end are left out. */
  public Map<String, Long> stop() {
    Map<String, Long> used = new LinkedHashMap<>();
    pids.forEach((role, pid) -> {
      OptionalLong end = ProcessProbe.processCpuNanos(pid);
      Long start = startNanos.get(role);
      if (start != null && end.isPresent()) {
        used.put(role, end.getAsLong() - start);
      }
    });
    return used;
  }

  /** Parses {@code name=pid,name=pid}; empty for an empty text. */
  public static Map<String, Long> parse(String text) {
    Map<String, Long> pids = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return pids;
    }
    for (String item : text.split(",")) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new IllegalArgumentException("--role-pids: expected name=pid,..., got " + item);
      }
      try {
        pids.put(item.substring(0, eq).trim(), Long.parseLong(item.substring(eq + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--role-pids: not a pid in " + item);
      }
    }
    return pids;
  }
}
