package dev.chatrelay.relay.journal;

import java.util.Set;

/**
 * Who claims a shard, and the relays it must not take one from: those alive in the journal's
 * liveness record but outside the claimant's cluster view (the other half of a split, or the
 * cluster a thawed relay has not merged back into). A claim from such a holder would only start
 * the two sides fencing each other in turn.
 *
 * @param claimant node id recorded as the shard's holder ("" = unknown)
 * @param spared holders whose shards this claim leaves alone
 */
public record ClaimGuard(String claimant, Set<String> spared) {

  /** No claimant recorded and nobody spared: a plain claim. */
  public static final ClaimGuard NONE = new ClaimGuard("", Set.of());

  public ClaimGuard {
    spared = Set.copyOf(spared);
  }
}
