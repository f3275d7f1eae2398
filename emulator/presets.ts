// Machine presets: the one place the machine's numbers live (../shared/DOJO-FACTS.md). `d1 info` prints
// them, the assembler takes its default link address from them, the emulator sizes its memory by them.

export interface CorePreset {
  name: string;
  /** Local SRAM bytes, at [sramBase, sramBase + sramBytes). */
  sramBytes: number;
  sramBase: number;
  /** Initial stack pointer of thread 0. */
  stackTop: number;
  /** Where `d1 as` links .text by default; [0, textBase) is left free (docs/machine.md). */
  textBase: number;
  clockHz: number;
}

/** One D1 training node: 1.25 MiB SRAM, 2 GHz. */
export const D1_CORE: CorePreset = {
  name: 'd1-core',
  sramBytes: 0x140000,
  sramBase: 0,
  stackTop: 0x140000,
  textBase: 0x1000,
  clockHz: 2_000_000_000,
};
