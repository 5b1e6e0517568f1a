package dev.chatrelay.launcher.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLineTest {

  private static JsonObject render(String message, String stack) {
    String line = JsonLine.render(1_764_763_200_123L, "WARN", "dev.chatrelay.relay.JobDispatcher",
        "vert.x-eventloop-thread-1", message, stack);
    assertFalse(line.contains("\n"), "one line: " + line);
    return new JsonObject(line); // throws on anything that is not valid JSON
  }

  @Test
  void anEventLineBecomesOneObjectWithItsKeysAsFields() {
    JsonObject o = render("event=job.dispatch_failed sub=alice thread=t-1 job=j1 attempt=2"
        + " failures=3 error=Timed out after waiting 2000(ms) for a reply", null);
    assertEquals("2025-12-03T12:00:00.123Z", o.getString("ts"));
    assertEquals("WARN", o.getString("level"));
    assertEquals("dev.chatrelay.relay.JobDispatcher", o.getString("logger"));
    assertEquals("vert.x-eventloop-thread-1", o.getString("jvm_thread"));
    assertEquals("job.dispatch_failed", o.getString("event"));
    assertEquals("alice", o.getString("sub"));
    assertEquals("t-1", o.getString("thread"), "the chat thread, not the JVM's");
    assertEquals(2, o.getValue("attempt"), "integers are numbers");
    assertEquals(3, o.getValue("failures"));
    assertEquals("Timed out after waiting 2000(ms) for a reply", o.getString("error"),
        "a value runs to the next key");
    assertTrue(o.getString("msg").startsWith("event=job.dispatch_failed sub=alice"));
    assertNull(o.getValue("stack"));
    assertEquals(List.of("ts", "level", "logger", "jvm_thread", "event", "sub", "thread", "job",
        "attempt", "failures", "error", "msg"), List.copyOf(o.fieldNames()));
  }

  @Test
  void quotesAreDroppedAndSpecialCharactersEscaped() {
    JsonObject o = render("event=engine.stream_failed code=engine_error"
        + " message=\"the \\\"model\\\"\nfailed\t\u0001\" seq=007 n=-12", null);
    assertEquals("the \\\"model\\\"\nfailed\t\u0001", o.getString("message"));
    assertEquals("007", o.getValue("seq"), "a leading zero stays text");
    assertEquals(-12, o.getValue("n"));
  }

  @Test
  void textBeforeTheFirstKeyStaysInMsgOnly() {
    JsonObject o = render("READY http://localhost:8080/ event=system.ready role=all", null);
    assertEquals("system.ready", o.getString("event"));
    assertEquals("all", o.getString("role"));
    assertEquals("READY http://localhost:8080/ event=system.ready role=all", o.getString("msg"));
    assertFalse(o.containsKey("READY"));
  }

  @Test
  void aKeyNamedLikeAFixedFieldIsPrefixed() {
    JsonObject o = render("event=x.y level=high msg=hi", "java.lang.IllegalStateException: boom\n\tat A.b(A.java:1)");
    assertEquals("WARN", o.getString("level"));
    assertEquals("high", o.getString("kv_level"));
    assertEquals("hi", o.getString("kv_msg"));
    assertEquals("event=x.y level=high msg=hi", o.getString("msg"));
    assertTrue(o.getString("stack").contains("IllegalStateException: boom\n\tat A.b"));
  }

  @Test
  void aProseMessageIsStillValidJson() {
    JsonObject o = render("Thread starvation detected {\"x\": 1}", null);
    assertEquals("Thread starvation detected {\"x\": 1}", o.getString("msg"));
    assertFalse(o.containsKey("event"));
  }
}
