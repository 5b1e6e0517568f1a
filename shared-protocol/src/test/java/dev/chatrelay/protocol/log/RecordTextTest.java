package dev.chatrelay.protocol.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecordTextTest {

  record Options(String url, String apiKey, int port) {
    @Override
    public String toString() {
      return RecordText.withSecrets(this, "apiKey");
    }
  }

  @Test
  void secretsShowOnlyWhetherTheyAreSet() {
    assertEquals("Options[url=http://x, apiKey=set, port=1]", new Options("http://x", "sk-123", 1).toString());
    assertEquals("Options[url=null, apiKey=unset, port=2]", new Options(null, null, 2).toString());
  }
}
