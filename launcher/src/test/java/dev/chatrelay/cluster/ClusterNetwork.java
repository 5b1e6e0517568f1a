package dev.chatrelay.cluster;

import java.util.List;

/** Where the processes of a {@link ProcessCluster} live and how the test reaches them. */
interface ClusterNetwork {

  /** Everything on 127.0.0.1. */
  ClusterNetwork LOOPBACK = new ClusterNetwork() {
    @Override
    public String host(String role) {
      return "127.0.0.1";
    }

    @Override
    public String redisHost() {
      return "127.0.0.1";
    }

    @Override
    public String redisBind() {
      return "127.0.0.1";
    }

    @Override
    public List<String> prefix(String role) {
      return List.of();
    }

    @Override
    public int reach(String role, int port) {
      return port;
    }
  };

  /** Address {@code role} binds and advertises (its cluster host). */
  String host(String role);

  /** Address the relays reach Redis at. */
  String redisHost();

  /** Addresses Redis binds (its {@code --bind}). */
  String redisBind();

  /** Command prefix that starts {@code role} ("redis" too) inside its network. */
  List<String> prefix(String role);

  /** A loopback port of this JVM that reaches {@code port} of {@code role}. */
  int reach(String role, int port);
}
