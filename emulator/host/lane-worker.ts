// The worker thread of a die's second lane (emulator/host/lanes.ts): its instance of the lane build over
// the die's memory runs the cores it is given, each time the first lane asks.
import { parentPort, threadId } from 'node:worker_threads';
import { instantiate, tagInstancesOf } from './core.js';
import { useLane } from './jit/model.js';
import { NO_LIMIT } from './part.js';
import { serveLane } from './lanes.js';

parentPort!.once('message', (m: { memory: WebAssembly.Memory; module: WebAssembly.Module; jit: boolean; timing: boolean; ctl: Int32Array }) => {
  tagInstancesOf(threadId);
  useLane(1); // (its compiled blocks use the second lane's hot state)
  const wasm = instantiate(false, m.memory, m.jit, m.timing, m.module) as unknown as { laneRun(from: number, to: number, limit: bigint): number };
  parentPort!.postMessage({ ready: true });
  serveLane(m.ctl, (from, to) => wasm.laneRun(from, to, NO_LIMIT));
});
