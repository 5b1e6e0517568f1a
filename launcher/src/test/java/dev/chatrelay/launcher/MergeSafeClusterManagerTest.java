package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Vert.x handles a departed member inside the manager's monitor with blocking map calls; while
 * another thread holds that monitor, a merge's MERGING event must not wait.
 */
class MergeSafeClusterManagerTest {

  private final MergeSafeClusterManager manager = new MergeSafeClusterManager(new Config());

  @Test
  void mergingDoesNotWaitForTheMonitor() throws Exception {
    assertReturnsWhileTheMonitorIsHeld(
        () -> manager.stateChanged(new LifecycleEvent(LifecycleState.MERGING)));
  }

  private void assertReturnsWhileTheMonitorIsHeld(Runnable call) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (manager) {
        held.countDown();
        awaitQuietly(release);
      }
    });
    holder.start();
    held.await();
    Thread caller = new Thread(call);
    try {
      caller.start();
      // Either it returns, or it blocks on the monitor: whichever comes first decides.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
          caller.getState() == Thread.State.TERMINATED
              || caller.getState() == Thread.State.BLOCKED);
      assertEquals(Thread.State.TERMINATED, caller.getState(), "the call waited for the monitor");
    } finally {
      release.countDown();
      holder.join();
      caller.join();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
