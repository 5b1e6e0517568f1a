package dev.chatrelay.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback port whose every TCP connection is relayed to {@code host:port}: the test's
 * clients and probes speak to 127.0.0.1 only, and reach a process inside a network namespace
 * through it. Two daemon threads per connection; closing stops everything.
 */
final class TcpForwarder implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private final String host;
  private final int port;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TcpForwarder(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "forward-" + host + ":" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int localPort() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket out = new Socket();
      try {
        out.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        closeQuietly(in);
        closeQuietly(out);
        continue; // the caller sees a refused/reset connection, as without the forwarder
      }
      open.add(in);
      open.add(out);
      pipe(in, out);
      pipe(out, in);
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
        int n;
        while ((n = input.read(buffer)) >= 0) {
          output.write(buffer, 0, n);
          output.flush();
        }
      } catch (IOException e) {
        // one side went away: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(TcpForwarder::closeQuietly);
  }
}
