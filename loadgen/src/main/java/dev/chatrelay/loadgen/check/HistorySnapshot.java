package dev.chatrelay.loadgen.check;

/** A thread as the history API returns it: epoch, head and the retained frames' seqs and fingerprints. */
public record HistorySnapshot(String epoch, long head, long[] seqs, long[] fingerprints) {
}
