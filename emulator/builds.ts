// The builds of the wasm core (scripts/build-wasm.ts compiles each from its own generated sources): the
// one `d1 run` uses, the debugging build that checks loads and stores against watch ranges, the
// functional build without the cycle model (`d1 run --no-timing`: every instruction takes one cycle), and
// the race-checking build (`d1 run --check-races`: it logs what the race checker needs); and the second
// lane's builds of the first two, whose hot state is one STATE block further on (a die's cores on two
// threads: emulator/host/lanes.ts).
export interface CoreBuild {
  file: string;
  options: { watchpoints?: boolean; timing?: boolean; races?: boolean; lane?: number };
}

export const CORE_BUILDS = [
  { file: 'd1-core.wasm', options: {} },
  { file: 'd1-core-watch.wasm', options: { watchpoints: true } },
  { file: 'd1-core-fast.wasm', options: { timing: false } },
  { file: 'd1-core-race.wasm', options: { races: true } },
  { file: 'd1-core-lane.wasm', options: { lane: 1 } },
  { file: 'd1-core-fast-lane.wasm', options: { timing: false, lane: 1 } },
] as const satisfies readonly CoreBuild[];
