/**
 * The worker role. {@link dev.chatrelay.worker.WorkerVerticle} takes
 * {@link dev.chatrelay.protocol.bus.JobDispatch}es, and runs each as a {@code JobRun}: the engine's
 * output becomes the reply's frames (index 0 typing on, 1..n chunks, n+1 message, n+2 typing off;
 * or typing on, error, typing off), journaled one at a time by a {@code FrameAppender} through the
 * thread's relay shard. A retried attempt regenerates the reply and sends only the frames from
 * {@code fromIndex} on; a cancel waits until the reply has reached {@code fromIndex}, so the
 * cancelled ending is never placed among frames an earlier attempt already journaled.
 */
package dev.chatrelay.worker;
