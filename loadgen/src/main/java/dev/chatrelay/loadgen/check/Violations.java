package dev.chatrelay.loadgen.check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe sink of contract violations: counts all, keeps the first few for the report. */
public final class Violations {

  /** How many violation texts are kept for the report. */
  public static final int KEPT = 10;

  private final AtomicLong count = new AtomicLong();
  private final List<String> first = new ArrayList<>(KEPT);

  public void add(String where, String what) {
    long n = count.incrementAndGet();
    if (n <= KEPT) {
      synchronized (first) {
        first.add(where + ": " + what);
      }
    }
  }

  public long count() {
    return count.get();
  }

  public List<String> first() {
    synchronized (first) {
      return List.copyOf(first);
    }
  }
}
