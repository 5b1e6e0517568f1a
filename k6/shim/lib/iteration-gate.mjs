// Hands out iterations the way k6's default executors do: `constant-vus` for a duration
// (start none after it ends), `shared-iterations` for a fixed count (capped by maxDuration).
export class IterationGate {
  constructor({ durationMs, iterations }) {
    this.durationMs = durationMs;
    this.iterations = iterations;
    this.handed = 0;
    this.stopAt = null;
    this.closed = false;
  }

  start() {
    this.stopAt = Date.now() + this.durationMs;
  }

  /** May one more iteration start? */
  next() {
    if (this.closed || Date.now() >= this.stopAt) return false;
    if (this.iterations !== undefined && this.handed >= this.iterations) return false;
    this.handed++;
    return true;
  }

  close() {
    this.closed = true;
  }
}
