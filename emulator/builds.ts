// The builds of the wasm core (scripts/build-wasm.ts compiles each from its own generated sources): the
// one `d1 run` uses, the debugging build that checks loads and stores against watch ranges, and the
// functional build without the cycle model (`d1 run --no-timing`: every instruction takes one cycle).
export interface CoreBuild {
  file: string;
  options: { watchpoints?: boolean; timing?: boolean };
}

export const CORE_BUILDS = [
  { file: 'd1-core.wasm', options: {} },
  { file: 'd1-core-watch.wasm', options: { watchpoints: true } },
  { file: 'd1-core-fast.wasm', options: { timing: false } },
] as const satisfies readonly CoreBuild[];
