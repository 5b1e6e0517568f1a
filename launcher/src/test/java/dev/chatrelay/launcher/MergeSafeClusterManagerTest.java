package dev.chatrelay.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MergeSafeClusterManagerTest {

  /**
   * Vert.x handles a departed member inside the manager's monitor with blocking map calls; a
   * merge's MERGING event must pass while another thread holds that monitor.
   */
  @Test
  void mergingDoesNotWaitForTheMonitor() throws Exception {
    MergeSafeClusterManager manager = new MergeSafeClusterManager(new Config());
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
    Thread merging = new Thread(
        () -> manager.stateChanged(new LifecycleEvent(LifecycleState.MERGING)));
    try {
      merging.start();
      // Either it returns, or it blocks on the monitor: whichever comes first decides.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
          merging.getState() == Thread.State.TERMINATED
              || merging.getState() == Thread.State.BLOCKED);
      assertEquals(Thread.State.TERMINATED, merging.getState(), "MERGING waited for the monitor");
    } finally {
      release.countDown();
      holder.join();
      merging.join();
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
