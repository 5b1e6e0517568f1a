package dev.chatrelay.gateway;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Map;

/**
 * A WebSocket upgrade request written byte for byte over TCP, answering the status line the
 * gateway sends back. The Vert.x clients report a refused upgrade inconsistently (as a
 * rejection, a handshake error or a closed connection, depending on timing); the status line
 * on the socket is what a browser sees.
 */
final class RawUpgrade {

  private RawUpgrade() {}

  /** The HTTP status of {@code GET /ws} with the upgrade headers plus {@code extra}. */
  static int status(Vertx vertx, int port, Map<String, String> extra) {
    StringBuilder request = new StringBuilder()
        .append("GET /ws HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    extra.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    NetClient client = vertx.createNetClient();
    try {
      NetSocket socket = client.connect(port, "127.0.0.1").await();
      Promise<String> statusLine = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(data -> {
        received.appendBuffer(data);
        String text = received.toString();
        int end = text.indexOf("\r\n");
        if (end >= 0) {
          statusLine.tryComplete(text.substring(0, end));
        }
      });
      socket.closeHandler(v -> statusLine.tryFail("closed before a status line: " + received));
      socket.write(request.toString());
      String line = statusLine.future().await(); // "HTTP/1.1 403 Forbidden"
      socket.close();
      return Integer.parseInt(line.split(" ")[1]);
    } finally {
      client.close();
    }
  }
}
