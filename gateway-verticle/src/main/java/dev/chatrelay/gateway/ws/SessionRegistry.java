package dev.chatrelay.gateway.ws;

import dev.chatrelay.protocol.CloseCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions of one verticle instance, by connection id (deliveries name it) and by user
 * (operator disconnects). Event-loop bound, except {@link #openCount()}, readable anywhere.
 */
public final class SessionRegistry {

  private final Map<Long, Session> byConn = new LinkedHashMap<>();
  private final Map<String, Set<Session>> bySub = new HashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private long nextConn = 1;

  long nextConnId() {
    return nextConn++;
  }

  void add(Session session) {
    byConn.put(session.conn, session);
    open.incrementAndGet();
  }

  /** Indexes an authenticated session by its user. */
  void bindUser(Session session) {
    bySub.computeIfAbsent(session.sub(), k -> new LinkedHashSet<>()).add(session);
  }

  void remove(Session session) {
    if (byConn.remove(session.conn) == null) {
      return;
    }
    open.decrementAndGet();
    if (session.sub() != null) {
      Set<Session> sessions = bySub.get(session.sub());
      if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
        bySub.remove(session.sub());
      }
    }
  }

  Session get(long conn) {
    return byConn.get(conn);
  }

  /** A copy: sessions may close while the caller iterates. */
  List<Session> all() {
    return new ArrayList<>(byConn.values());
  }

  /** Closes every session of {@code sub} with {@code code}; returns how many. */
  public int closeUser(String sub, CloseCode code, String detail) {
    Set<Session> sessions = bySub.get(sub);
    if (sessions == null) {
      return 0;
    }
    List<Session> copy = new ArrayList<>(sessions);
    copy.forEach(s -> s.close(code, detail));
    return copy.size();
  }

  /** Starts closing up to {@code max} sessions not closing yet, oldest first. */
  public int closeSome(int max, CloseCode code, String detail) {
    int closed = 0;
    for (Session s : all()) {
      if (closed >= max) {
        break;
      }
      if (s.phase() != Session.Phase.CLOSING) {
        s.close(code, detail);
        closed++;
      }
    }
    return closed;
  }

  /** Closes every session subscribed to a thread on one of {@code shards}; returns how many. */
  public int closeOnShards(Set<Integer> shards, CloseCode code, String detail) {
    int closed = 0;
    for (Session s : all()) {
      if (s.phase() != Session.Phase.CLOSING && s.subscriptions() != null
          && s.subscriptions().holdsShardIn(shards)) {
        s.close(code, detail);
        closed++;
      }
    }
    return closed;
  }

  /** Sessions not yet fully closed; thread-safe. */
  public int openCount() {
    return open.get();
  }
}
