// The worker thread of a die's second lane (emulator/host/lanes.ts): its instance of the lane build over
// the die's memory runs the cores it is given, each time the first lane asks.
import { parentPort, threadId } from 'node:worker_threads';
import { instantiate, laneModule, tagInstancesOf } from './core.js';
import { useLane } from './jit/model.js';
import { NO_LIMIT } from './part.js';
import { Lane, serveLane } from './lanes.js';

parentPort!.once('message', (m: { memory: WebAssembly.Memory; jit: boolean; timing: boolean; ctl: Int32Array }) => {
  tagInstancesOf(threadId);
  useLane(1); // (its compiled blocks use the second lane's hot state)
  // (compiled here, not by the first lane, which runs on meanwhile)
  const wasm = instantiate(false, m.memory, m.jit, m.timing, laneModule(m.timing)) as unknown as { laneRun(from: number, to: number, limit: bigint): number };
  Lane.takePart(m.memory);
  parentPort!.postMessage({ ready: true });
  serveLane(m.ctl, (from, to) => wasm.laneRun(from, to, NO_LIMIT));
});
