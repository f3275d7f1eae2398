// Worker threads for machines of several instances (a tile: one per die). The host keeps every instance
// (its own wasm instance over each shared memory, for loading, the network's exchanges, barriers and
// reports); the workers run the instances' windows in parallel. Each instance is always emulated whole
// by one thread, and the host takes the results in instance order, so a run is the same whatever the
// number of workers.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../cli/root.js';
import { coreModule, jitDefault } from './core.js';
import type { PartTurn } from './part.js';

export class WorkerPool {
  private readonly workers: Worker[];
  /** Which instances each worker runs: contiguous blocks, in order. */
  private readonly assigned: number[][];

  /** The first error any worker raised (a worker that fails ends the run with it). */
  private failure: Error | undefined;

  private constructor(workers: Worker[], assigned: number[][]) {
    this.workers = workers;
    this.assigned = assigned;
    for (const w of workers) w.on('error', (e) => (this.failure ??= e));
  }

  static async start(n: number, memories: { memory: WebAssembly.Memory; cores: number }[], jit = jitDefault(), timing = true, races = false): Promise<WorkerPool> {
    const count = Math.max(1, Math.min(n, memories.length));
    const per = Math.ceil(memories.length / count);
    const assigned = Array.from({ length: count }, (_, k) => memories.map((_, i) => i).slice(k * per, (k + 1) * per)).filter((a) => a.length > 0);
    // the compiled worker (also when this module runs from its TypeScript source, under vitest)
    const script = join(packageRoot(), 'dist', 'emulator', 'host', 'worker.js');
    const workers = assigned.map(() => new Worker(script));
    await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
            w.postMessage({ cmd: 'init', module: coreModule(false, timing, races), jit, timing, races, parts: assigned[k]!.map((index) => ({ index, memory: memories[index]!.memory, cores: memories[index]!.cores })) });
          }),
      ),
    );
    return new WorkerPool(workers, assigned);
  }

  get size(): number {
    return this.workers.length;
  }

  /** One window of each instance that is `busy`, in parallel; their turns by instance. */
  async turn(busy: boolean[]): Promise<Map<number, PartTurn>> {
    return this.ask<PartTurn>(busy, (m) => (m as { turns: PartTurn[] }).turns, { cmd: 'turn' });
  }

  /** The same `windows` windows of each instance that is `busy` as one speculation, in parallel; what
   * each instance's lockstep() returned. */
  async lockstep(busy: boolean[], windows: number): Promise<Map<number, number>> {
    return this.ask<number>(busy, (m) => (m as { results: number[] }).results, { cmd: 'lockstep', windows });
  }

  /** Send each worker `request` for its busy instances; the replies by instance. */
  private async ask<T>(busy: boolean[], take: (reply: unknown) => T[], request: object): Promise<Map<number, T>> {
    const parts = this.assigned.map((a) => a.filter((i) => busy[i]));
    const replies = await Promise.all(
      this.workers.map(
        (w, k) =>
          new Promise<T[]>((resolve, reject) => {
            const onExit = () => reject(this.failure ?? new Error('a worker thread stopped'));
            w.once('exit', onExit);
            w.once('message', (m: unknown) => {
              w.off('exit', onExit);
              resolve(take(m));
            });
            w.postMessage({ ...request, parts: parts[k] });
          }),
      ),
    );
    return new Map(parts.flat().map((i, k) => [i, replies.flat()[k]!]));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
