// Worker threads for machines of several instances (a tile: one per die). The host keeps every instance
// (its own wasm instance over each shared memory, for loading, the network's exchanges, barriers and
// reports); the workers run the instances' windows in parallel. Each instance is always emulated whole
// by one thread, and the host takes the results in instance order, so a run is the same whatever the
// number of workers.
import { Worker } from 'node:worker_threads';
import { coreModule } from './core.js';
import type { PartTurn } from './part.js';

export class WorkerPool {
  private readonly workers: Worker[];
  /** Which instances each worker runs: contiguous blocks, in order. */
  private readonly assigned: number[][];

  private constructor(workers: Worker[], assigned: number[][]) {
    this.workers = workers;
    this.assigned = assigned;
  }

  static async start(n: number, memories: { memory: WebAssembly.Memory; cores: number }[]): Promise<WorkerPool> {
    const count = Math.max(1, Math.min(n, memories.length));
    const per = Math.ceil(memories.length / count);
    const assigned = Array.from({ length: count }, (_, k) => memories.map((_, i) => i).slice(k * per, (k + 1) * per)).filter((a) => a.length > 0);
    const module = coreModule();
    const workers = assigned.map(() => new Worker(new URL('./worker.js', import.meta.url)));
    await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
            w.postMessage({ cmd: 'init', module, parts: assigned[k]!.map((index) => ({ index, memory: memories[index]!.memory, cores: memories[index]!.cores })) });
          }),
      ),
    );
    return new WorkerPool(workers, assigned);
  }

  get size(): number {
    return this.workers.length;
  }

  /** One window of every instance, in parallel; the turns in instance order. */
  async turn(): Promise<PartTurn[]> {
    const replies = await Promise.all(
      this.workers.map(
        (w, k) =>
          new Promise<PartTurn[]>((resolve, reject) => {
            w.once('message', (m: { turns: PartTurn[] }) => resolve(m.turns));
            w.once('error', reject);
            w.postMessage({ cmd: 'turn', parts: this.assigned[k] });
          }),
      ),
    );
    return replies.flat();
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
