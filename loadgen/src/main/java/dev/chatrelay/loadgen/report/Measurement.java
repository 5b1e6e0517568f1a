package dev.chatrelay.loadgen.report;

import java.util.Map;
import java.util.OptionalLong;

/** The measured window of a run: wall time, driver CPU, given a pid server CPU, and the whole box's CPU. */
public final class Measurement {

  private final RunStats stats;
  private final long serverPid;
  private final RoleCpu roles;
  private long startNanos;
  private long startSelfCpu;
  private OptionalLong startServerCpu = OptionalLong.empty();
  private OptionalLong startBoxCpu = OptionalLong.empty();
  private Window window;

  /**
   * CPU used in the window, in cores (CPU seconds per second); -1 when unknown. {@code
   * boxCpuCores}: the whole box's busy CPU; {@code roleCpuNanos}: CPU time of each named process
   * ({@code --role-pids}) in the window.
   */
  public record Window(double seconds, double driverCpuCores, double serverCpuCores,
      double boxCpuCores, Map<String, Long> roleCpuNanos) {
  }

  public Measurement(RunStats stats, long serverPid) {
    this(stats, serverPid, Map.of());
  }

  public Measurement(RunStats stats, long serverPid, Map<String, Long> rolePids) {
    this.stats = stats;
    this.serverPid = serverPid;
    this.roles = new RoleCpu(rolePids);
  }

  public void start() {
    stats.startMeasuring();
    startNanos = System.nanoTime();
    startSelfCpu = ProcessProbe.selfCpuNanos();
    startServerCpu = ProcessProbe.processCpuNanos(serverPid);
    startBoxCpu = ProcessProbe.boxBusyCpuNanos();
    roles.start();
  }

  public Window stop() {
    stats.stopMeasuring();
    Map<String, Long> roleCpu = roles.stop();
    long elapsed = System.nanoTime() - startNanos;
    double driver = (double) (ProcessProbe.selfCpuNanos() - startSelfCpu) / elapsed;
    OptionalLong endServer = ProcessProbe.processCpuNanos(serverPid);
    double server = startServerCpu.isPresent() && endServer.isPresent()
        ? (double) (endServer.getAsLong() - startServerCpu.getAsLong()) / elapsed : -1;
    OptionalLong endBox = ProcessProbe.boxBusyCpuNanos();
    double box = startBoxCpu.isPresent() && endBox.isPresent()
        ? (double) (endBox.getAsLong() - startBoxCpu.getAsLong()) / elapsed : -1;
    window = new Window(elapsed / 1e9, driver, server, box, roleCpu);
    return window;
  }

  /** The window, or null when never stopped. */
  public Window window() {
    return window;
  }
}
