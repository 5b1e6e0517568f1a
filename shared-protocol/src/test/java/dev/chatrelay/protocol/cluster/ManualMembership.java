package dev.chatrelay.protocol.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A membership the test sets by hand: {@link #set} is a membership change seen by every listener. */
public final class ManualMembership implements ClusterMembership {

  private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
  private volatile ClusterView view;

  public ManualMembership(String localNode, Set<String> members, Set<String> relays) {
    this.view = new ClusterView(localNode, members, relays);
  }

  @Override
  public ClusterView view() {
    return view;
  }

  @Override
  public Listening listen(Consumer<ClusterView> listener) {
    listeners.add(listener);
    listener.accept(view);
    return () -> listeners.remove(listener);
  }

  /** The cluster now has {@code members}, of which {@code relays} run the relay role. */
  public synchronized void set(Set<String> members, Set<String> relays) {
    view = new ClusterView(view.localNode(), members, relays);
    for (Consumer<ClusterView> listener : listeners) {
      listener.accept(view);
    }
  }

  public int listeners() {
    return listeners.size();
  }
}
