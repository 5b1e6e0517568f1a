package dev.chatrelay.protocol.cluster;

import java.util.function.Consumer;

/**
 * The live members of the cluster as this node sees them, and their changes. Implemented by the
 * launcher on Hazelcast's membership (a member that dies is dropped after the tuned failure
 * detection, about 5 s); the roles only read it.
 */
public interface ClusterMembership {

  /** The current view. */
  ClusterView view();

  /**
   * Calls {@code listener} with the current view, then after every change, one call at a time on
   * some thread not owned by the caller (listeners hop to their own context).
   *
   * @return stops the calls
   */
  Listening listen(Consumer<ClusterView> listener);

  /** A registered listener. */
  interface Listening {
    void stop();
  }
}
