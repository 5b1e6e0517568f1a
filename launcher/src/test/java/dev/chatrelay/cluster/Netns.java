package dev.chatrelay.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Every process of a {@link ProcessCluster} in a Linux network namespace of its own, wired by
 * veth links to bridges in one hub namespace, so a test can cut one link with
 * {@code ip link set ... down} while both ends keep running:
 * <ul>
 *   <li>back network (169.254.10.0/24): Hazelcast and the event bus; two bridges, side A and
 *       side B, joined by one veth pair (cutting it splits the cluster in two);
 *   <li>data network (169.254.20.0/24): relays and Redis only (Redis stays reachable from both
 *       sides of a split, so fencing decides who writes);
 *   <li>front links (169.254.100+i.0/30): one veth from the test's namespace to each process,
 *       for clients and probes, reached through a loopback {@link TcpForwarder}.
 * </ul>
 * Link-local addresses only, on links this class creates; {@link #close()} (and a shutdown
 * hook) deletes every namespace, which removes every link with it.
 */
final class Netns implements ClusterNetwork, AutoCloseable {

  /** Which half of the back network a process sits on. */
  enum Side { A, B }

  private final String tag;
  private final String hub;
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private final List<TcpForwarder> forwarders = new ArrayList<>();
  private final Thread cleanup = new Thread(this::deleteAll, "netns-cleanup");
  private final List<String> namespaces = new ArrayList<>();
  /** The process whose back link runs through {@code slow_link.py}, or null. */
  private final String slowRole;
  private SlowLink slowLink;

  /**
   * Why namespaces cannot be used here (not root, no CAP_SYS_ADMIN, no {@code ip}), or null when
   * they can: creates and deletes a probe namespace with a veth pair and a bridge.
   */
  static String unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return "network namespaces need Linux; this is " + System.getProperty("os.name");
    }
    String probe = "fzp" + HexFormat.of().toHexDigits((short) new Random().nextInt());
    try {
      ip("netns", "add", probe);
      try {
        ip("-n", probe, "link", "add", "name", probe + "a", "type", "veth", "peer", "name", probe + "b");
        ip("-n", probe, "link", "add", "name", probe + "br", "type", "bridge");
      } finally {
        ip("netns", "del", probe);
      }
      return null;
    } catch (RuntimeException e) {
      return "network namespaces, veth links or bridges are not allowed here (they need root or"
          + " CAP_SYS_ADMIN and CAP_NET_ADMIN): " + e.getMessage();
    }
  }

  /**
   * Namespaces for {@code names} ("relay-0", ..., "redis"), each on {@code side.apply(name)};
   * the back link of {@code slowRole} (null: none) runs through a user-space link whose delay
   * and loss {@link #slow} sets (this kernel has no netem qdisc).
   */
  Netns(List<String> names, Function<String, Side> side, String slowRole) {
    this.slowRole = slowRole;
    tag = "fz" + HexFormat.of().toHexDigits((short) new Random().nextInt());
    hub = tag + "h";
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      addNamespace(hub);
      for (String bridge : List.of("bA", "bB", "bD")) {
        ip("-n", hub, "link", "add", "name", bridge, "type", "bridge");
        ip("-n", hub, "link", "set", bridge, "up");
      }
      ip("-n", hub, "link", "add", "name", "sA", "type", "veth", "peer", "name", "sB");
      ip("-n", hub, "link", "set", "sA", "master", "bA", "up");
      ip("-n", hub, "link", "set", "sB", "master", "bB", "up");
      int i = 0;
      for (String name : names) {
        index.put(name, i);
        String ns = tag + i;
        addNamespace(ns);
        ip("-n", ns, "link", "set", "lo", "up");
        if (!name.equals("redis")) {
          String bridge = side.apply(name) == Side.A ? "bA" : "bB";
          if (name.equals(slowRole)) {
            addNamespace(tag + "r" + i);
            slowLink = new SlowLink(hub, tag + "r" + i, ns, backAddress(i) + "/24",
                tag + "b" + i, bridge);
          } else {
            link(ns, "eth0", tag + "b" + i, bridge, backAddress(i) + "/24");
          }
          if (slowRole != null) {
            // Frames leave with their checksums and at most MTU-sized: slow_link copies them.
            SlowLink.python(ns, "no_tx_offload.py", "eth0");
          }
        }
        if (name.equals("redis") || name.startsWith("relay")) {
          link(ns, "eth1", tag + "d" + i, "bD", dataAddress(i) + "/24");
        }
        String root = tag + "f" + i;
        ip("link", "add", "name", root, "type", "veth", "peer", "name", "eth9", "netns", ns);
        ip("addr", "add", "169.254." + (100 + i) + ".1/30", "dev", root);
        ip("link", "set", root, "up");
        ip("-n", ns, "addr", "add", frontAddress(i) + "/30", "dev", "eth9");
        ip("-n", ns, "link", "set", "eth9", "up");
        i++;
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A veth from namespace {@code ns} ({@code inside}) to {@code bridge} in the hub. */
  private void link(String ns, String inside, String hubSide, String bridge, String address) {
    ip("-n", hub, "link", "add", "name", hubSide, "type", "veth", "peer", "name", inside, "netns", ns);
    ip("-n", hub, "link", "set", hubSide, "master", bridge, "up");
    ip("-n", ns, "addr", "add", address, "dev", inside);
    ip("-n", ns, "link", "set", inside, "up");
  }

  private void addNamespace(String ns) {
    ip("netns", "add", ns);
    namespaces.add(ns);
  }

  private static String backAddress(int i) {
    return "169.254.10." + (10 + i);
  }

  private static String dataAddress(int i) {
    return "169.254.20." + (10 + i);
  }

  private static String frontAddress(int i) {
    return "169.254." + (100 + i) + ".2";
  }

  private int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no namespace for " + name);
    }
    return i;
  }

  @Override
  public String host(String role) {
    return backAddress(indexOf(role));
  }

  @Override
  public String redisHost() {
    return dataAddress(indexOf("redis"));
  }

  /** All its addresses: the data network for relays, the front link for the test's probes. */
  @Override
  public String redisBind() {
    return "0.0.0.0";
  }

  @Override
  public List<String> prefix(String role) {
    return List.of("ip", "netns", "exec", tag + indexOf(role));
  }

  @Override
  public synchronized int reach(String role, int port) {
    try {
      TcpForwarder forwarder = new TcpForwarder(frontAddress(indexOf(role)), port);
      forwarders.add(forwarder);
      return forwarder.localPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets the slow link's delay and frame loss (0 and 0: a plain link again). */
  void slow(int delayMs, double loss) {
    slowLink.set(delayMs, loss);
  }

  /** Cuts (false) or heals (true) the process's back link; Redis's data link. */
  void link(String role, boolean up) {
    int i = indexOf(role);
    String hubSide = role.equals("redis") ? tag + "d" + i : tag + "b" + i;
    ip("-n", hub, "link", "set", hubSide, up ? "up" : "down");
  }

  /** Cuts (false) or heals (true) the link between side A and side B of the back network. */
  void sides(boolean joined) {
    ip("-n", hub, "link", "set", "sA", joined ? "up" : "down");
  }

  @Override
  public synchronized void close() {
    if (slowLink != null) {
      slowLink.close();
    }
    forwarders.forEach(TcpForwarder::close);
    forwarders.clear();
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  /** Deletes every namespace this instance made (their links go with them); never fails. */
  private void deleteAll() {
    for (String ns : List.copyOf(namespaces)) {
      try {
        ip("netns", "del", ns);
      } catch (RuntimeException e) {
        // already gone
      }
      namespaces.remove(ns);
    }
  }

  /** Runs {@code ip args}; throws with its output when it fails. */
  static void ip(String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
