// The snapshots reverse execution goes back to (docs/debugger.md, "Reverse execution"): the core's whole
// state every EVERY instructions retired, at most MAX of them (older ones thinned, the start kept).
import type { Core } from '../emulator/host/core.js';

/** Instructions between snapshots (each ~1.3 MB: the state and SRAM). Compiled code runs some 2,000 M
 * instructions a second, so going back replays at most about a millisecond's worth, and taking them
 * costs a plain run a few percent. */
const EVERY = 2_000_000n;
const MAX = 128;

export interface Snapshot {
  at: bigint;
  data: Uint8Array;
}

export class History {
  private list: Snapshot[] = [];

  constructor(private readonly core: Core) {}

  /** Forget everything; the present (the start of the program) is the first snapshot. */
  start(): void {
    this.list = [{ at: this.core.instret, data: this.core.snapshot() }];
  }

  /** Take a snapshot if one is due. */
  record(): void {
    const last = this.list[this.list.length - 1]!;
    const now = this.core.instret;
    if (now < last.at + EVERY) return;
    this.list.push({ at: now, data: this.core.snapshot() });
    if (this.list.length > MAX) this.list = this.list.filter((_, i) => i === 0 || i % 2 === 1 || i === this.list.length - 1);
  }

  /** Instructions until the next snapshot is due. */
  untilDue(): bigint {
    return this.list[this.list.length - 1]!.at + EVERY - this.core.instret;
  }

  /** Restore the latest snapshot at or before `target` and drop the later ones (the future is re-recorded). */
  restoreBefore(target: bigint): void {
    let k = this.list.length - 1;
    while (k > 0 && this.list[k]!.at > target) k--;
    this.core.restore(this.list[k]!.data);
    this.list.length = k + 1;
  }

  /** The snapshots taken before `now`, oldest first. */
  before(now: bigint): Snapshot[] {
    return this.list.filter((s) => s.at < now);
  }
}
