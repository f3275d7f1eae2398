// A worker thread that runs instances for the host (emulator/host/workers.ts): it instantiates the core
// over each instance's shared memory and, on each request, runs a turn of the instances it was given.
import { parentPort, threadId } from 'node:worker_threads';
import { Core, instantiate, tagInstancesOf, type CoreExports } from './core.js';
import { NO_LIMIT, raceLog, turn } from './part.js';

interface Held {
  wasm: CoreExports;
  cores: Core[];
  /** The race-checking build: its log as it filled up in this turn. */
  races?: Uint8Array[];
}

const held = new Map<number, Held>();
// (block entries this thread's instances link are told apart from the host's over the same memory)
tagInstancesOf(threadId);

parentPort!.on('message', (msg: { cmd: 'init'; module: WebAssembly.Module; jit: boolean; timing: boolean; races: boolean; parts: { index: number; memory: WebAssembly.Memory; cores: number }[] } | { cmd: 'turn'; parts: number[] } | { cmd: 'lockstep'; parts: number[]; windows: number }) => {
  if (msg.cmd === 'init') {
    for (const p of msg.parts) {
      const races: Uint8Array[] | undefined = msg.races ? [] : undefined;
      const wasm = instantiate(false, p.memory, msg.jit, msg.timing, msg.module, races && (() => races.push(raceLog(p.memory))));
      held.set(p.index, { wasm, cores: Array.from({ length: p.cores }, (_, slot) => new Core({ instance: wasm, slot })), ...(races ? { races } : {}) });
    }
    parentPort!.postMessage({ ready: true });
    return;
  }
  if (msg.cmd === 'lockstep') {
    parentPort!.postMessage({ results: msg.parts.map((i) => held.get(i)!.wasm.lockstep(msg.windows, NO_LIMIT)) });
    return;
  }
  const turns = msg.parts.map((i) => {
    const h = held.get(i)!;
    const t = turn(h.wasm, h.cores, 1, false);
    return h.races ? { ...t, races: h.races.splice(0) } : t;
  });
  parentPort!.postMessage({ turns });
});
