// Hands out iterations the way k6's default executors do: `constant-vus` for a duration
// (start none after it ends), `shared-iterations` for a fixed count (capped by maxDuration).
// As in k6, the clock starts when every VU is initialised; requests before that wait.
export class IterationGate {
  constructor({ durationMs, iterations }) {
    this.durationMs = durationMs;
    this.iterations = iterations;
    this.handed = 0;
    this.stopAt = null;
    this.closed = false;
    this.waiting = [];
  }

  start() {
    this.stopAt = Date.now() + this.durationMs;
    for (const answer of this.waiting.splice(0)) answer(this.decide());
  }

  /** Calls `answer(go)` once it is known whether one more iteration may start. */
  next(answer) {
    if (this.stopAt === null && !this.closed) this.waiting.push(answer);
    else answer(this.decide());
  }

  decide() {
    if (this.closed || Date.now() >= this.stopAt) return false;
    if (this.iterations !== undefined && this.handed >= this.iterations) return false;
    this.handed++;
    return true;
  }

  close() {
    this.closed = true;
    for (const answer of this.waiting.splice(0)) answer(false);
  }
}
