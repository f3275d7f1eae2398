// A die's cores on two threads (docs/machine.md, "Speculative windows"): while the cores of an instance run
// windows speculatively, nothing passes between them, so a worker thread's instance over the same memory
// runs some of them (the lane build of the core: its hot state one STATE block further on,
// emulator/layout.ts laneLayout) while the host's runs the others: each takes the next core from its end of
// the live list (emulator/assembly/mesh.ts claim). The instance asks for the second lane and waits for it
// from inside its run (laneStart, laneWait: emulator/assembly/mesh.ts runSpeculation), so the two meet
// through shared memory and Atomics, not messages. Each core's turn is the same whichever lane runs it, and
// the first lane settles the speculation for both, so a run gives the same results, statistics and trace
// with one lane or two.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../cli/root.js';
import type { LaneHooks } from './core.js';
import { LAYOUT, MESH_CFG } from '../layout.js';

/** The control words shared with the worker: the command, the live cores it runs (from, to), its answer,
 * whether it is done, and the length of the message of an error (its UTF-8 bytes from MESSAGE on). */
const CMD = 0, FROM = 1, TO = 2, ANSWER = 3, DONE = 4, ERROR_BYTES = 5;
const MESSAGE = 64, CTL_BYTES = 1024;
const IDLE = 0, RUN = 1, STOP = 2;
/** The answer of a lane whose run threw (the worker posts the error). */
export const LANE_FAILED = -1;

export class Lane {
  private constructor(
    private readonly worker: Worker,
    private readonly ctl: Int32Array,
    private readonly memory: WebAssembly.Memory,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (e) => reject((this.failed = e)));
    });
    this.ready.catch(() => {}); // (stop() reports it when nobody awaits it)
  }

  /** Resolved once the second lane takes part (MESH_CFG.LANE_ON is set). */
  readonly ready: Promise<void>;
  /** An error of the worker before it took part (stop() throws it: the run itself went on one lane). */
  private failed?: Error;

  /**
   * Start the second lane of the instance over `memory`, and connect the instance's `hooks` to it. This
   * does not wait: the worker compiles its build of the core and then sets MESH_CFG.LANE_ON itself, and
   * the speculations from then on use both lanes (until then, and when it never does, they use one:
   * the same results either way). Await `ready` to have every speculation use it.
   */
  static start(memory: WebAssembly.Memory, hooks: LaneHooks, jit: boolean, timing: boolean): Lane {
    const ctl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));
    const cfg = new Uint32Array(memory.buffer, LAYOUT.MESH, 0x40);
    cfg[MESH_CFG.LANE_CUR >> 2] = 0xffffffff; // (no core is the second lane's yet)
    cfg[MESH_CFG.LANE_ON >> 2] = 0;
    // (the compiled worker, also when this module runs from its TypeScript source under vitest)
    const worker = new Worker(join(packageRoot(), 'dist', 'emulator', 'host', 'lane-worker.js'));
    worker.postMessage({ memory, jit, timing, ctl });
    const lane = new Lane(worker, ctl, memory);
    hooks.start = (from, to) => lane.run(from, to);
    hooks.wait = () => lane.wait();
    return lane;
  }

  private run(from: number, to: number): void {
    const c = this.ctl;
    c[FROM] = from;
    c[TO] = to;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, CMD, RUN);
    Atomics.notify(c, CMD);
  }

  private wait(): number {
    const c = this.ctl;
    while (Atomics.load(c, DONE) === 0) Atomics.wait(c, DONE, 0);
    const answer = c[ANSWER]!;
    if (answer === LANE_FAILED) {
      const message = new TextDecoder().decode(new Uint8Array(c.buffer, MESSAGE, c[ERROR_BYTES]!).slice());
      throw new Error(`the emulator's second lane failed: ${message}`);
    }
    return answer;
  }

  /** The instance goes on with one lane; the worker ends (and only then is the lane off: a worker that
   * got ready late cannot turn it on again). */
  async stop(): Promise<void> {
    Atomics.store(this.ctl, CMD, STOP);
    Atomics.notify(this.ctl, CMD);
    await this.worker.terminate();
    new Uint32Array(this.memory.buffer, LAYOUT.MESH, 0x40)[MESH_CFG.LANE_ON >> 2] = 0;
    if (this.failed) throw new Error(`the emulator's second lane failed: ${this.failed.message}`);
  }

  /** The worker's side, once its instance is made: the lane takes part from the next speculation on. */
  static takePart(memory: WebAssembly.Memory): void {
    Atomics.store(new Int32Array(memory.buffer, LAYOUT.MESH, 0x40), MESH_CFG.LANE_ON >> 2, 1);
  }
}

/** The worker's side (emulator/host/lane-worker.ts): run each request until told to stop. */
export function serveLane(ctl: Int32Array, laneRun: (from: number, to: number) => number): void {
  for (;;) {
    Atomics.wait(ctl, CMD, IDLE);
    const cmd = Atomics.load(ctl, CMD);
    if (cmd === STOP) return;
    let answer: number;
    try {
      answer = laneRun(ctl[FROM]!, ctl[TO]!) | 0;
    } catch (e) {
      const bytes = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).subarray(0, CTL_BYTES - MESSAGE);
      new Uint8Array(ctl.buffer, MESSAGE, bytes.length).set(bytes);
      ctl[ERROR_BYTES] = bytes.length;
      answer = LANE_FAILED;
    }
    ctl[ANSWER] = answer;
    Atomics.store(ctl, CMD, IDLE);
    Atomics.store(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}
