package dev.chatrelay.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapTextsTest {

  @Test
  void g1HeapInfoUsedIsRead() {
    String out = "4242:\n garbage-first heap   total 262144K, used 23456K [0x0, 0x1)\n"
        + "  region size 1024K, 10 young (10240K), 2 survivors (2048K)\n"
        + " Metaspace       used 1234K, committed 1300K, reserved 1114112K\n";
    assertEquals(23456L * 1024, HeapTexts.usedFromHeapInfo(out).getAsLong());
  }

  @Test
  void generationalHeapInfoIsSummedUpToMetaspace() {
    String out = " def new generation   total 4928K, used 1000K [0x0)\n"
        + " tenured generation   total 10944K, used 2000K [0x0)\n Metaspace used 9K\n";
    assertEquals(3000L * 1024, HeapTexts.usedFromHeapInfo(out).getAsLong());
  }

  @Test
  void metricsHeapPoolsAreSummed() {
    String m = "# TYPE jvm_memory_used_bytes gauge\n"
        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.0E6\n"
        + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7\n"
        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2000000.0\n";
    assertEquals(3_000_000L, HeapTexts.heapFromMetrics(m).getAsLong());
    assertTrue(HeapTexts.heapFromMetrics("nothing here").isEmpty());
  }
}
