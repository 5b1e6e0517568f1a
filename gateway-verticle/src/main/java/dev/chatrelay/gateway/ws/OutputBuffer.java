package dev.chatrelay.gateway.ws;

import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * PROTOCOL.md Limits: a connection whose unsent output passes {@code RELAY_OUTPUT_BUFFER_BYTES}
 * is no longer read until it drains. Netty counts every byte written to the channel and not yet
 * taken by the kernel; its high water mark turns the channel unwritable, which is what
 * {@link ServerWebSocket#writeQueueFull()} reports under strict thread mode, and the drain handler
 * runs once it falls under the low mark (half).
 */
final class OutputBuffer {

  private OutputBuffer() {}

  /** Sets {@code ws}'s water marks; a socket of another kind keeps Netty's defaults (64 KiB). */
  static void install(ServerWebSocket ws, int maxBytes) {
    if (ws instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().channel().config()
          .setWriteBufferWaterMark(new WriteBufferWaterMark(maxBytes / 2, maxBytes));
    }
  }

  /** Bytes written to {@code ws} and not yet sent, or -1 when unknown. */
  static long pendingBytes(ServerWebSocket ws) {
    if (ws instanceof WebSocketInternal internal) {
      var buffer = internal.channelHandlerContext().channel().unsafe().outboundBuffer();
      return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
    return -1;
  }
}
