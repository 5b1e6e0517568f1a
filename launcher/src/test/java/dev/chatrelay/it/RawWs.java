package dev.chatrelay.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket that an attacker would write: it upgrades, then
 * writes masked text frames and reads only when the test says so. Its receive buffer is set
 * small before connecting, so a client that never reads fills up quickly and the server's
 * unsent output grows in the server.
 */
public final class RawWs implements AutoCloseable {

  /** Receive buffer asked for (the kernel may round it up). */
  public static final int SMALL_RECEIVE_BUFFER = 4096;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private long bytesWritten;

  private RawWs(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** Connects and upgrades {@code /ws} (no Origin, like a non-browser client). */
  public static RawWs open(int port) {
    try {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      RawWs ws = new RawWs(socket);
      ws.upgrade();
      return ws;
    } catch (IOException e) {
      throw new IllegalStateException("raw upgrade failed", e);
    }
  }

  private void upgrade() throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key) + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(5_000);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during upgrade: " + head);
      }
      head.write(b);
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  /** Writes one masked text frame; blocks while the server does not read. */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
      }
    }
    // A zero mask key (valid: the server unmasks with any key) keeps the flooding thread cheap,
    // so the attack's cost lands on the server, not on the test's own CPU.
    frame.write(new byte[4]);
    frame.write(payload);
    out.write(frame.toByteArray());
    bytesWritten += frame.size();
  }

  /** Bytes written so far (updated after each completed write). */
  public synchronized long bytesWritten() {
    return bytesWritten;
  }

  /**
   * Reads what is left until the server closes the TCP connection (or {@code timeoutMs} of
   * silence); returns the bytes read, or -1 when the connection stayed open.
   */
  public long readUntilClosed(int timeoutMs) {
    long read = 0;
    byte[] buffer = new byte[64 * 1024];
    try {
      socket.setSoTimeout(timeoutMs);
      for (int n; (n = in.read(buffer)) >= 0; ) {
        read += n;
      }
      return read;
    } catch (java.net.SocketTimeoutException e) {
      return -1;
    } catch (IOException e) {
      return read; // reset by the server: closed too
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
