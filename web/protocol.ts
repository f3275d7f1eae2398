// The messages between the page (web/main.ts) and the worker that assembles and runs (web/worker.ts).

/** The program: its files by path (the edited one and the library files it may include). */
export interface Program {
  main: string;
  files: Record<string, string>;
}

/** A machine: '1' (one core), 'WxH' (a mesh) or 'die'. */
export type MachineName = string;

export interface RunOptions {
  machine: MachineName;
  /** false: the functional build (`d1 run --no-timing`). */
  timing: boolean;
}

export type Request =
  | { kind: 'assemble'; id: number; program: Program }
  | { kind: 'run'; program: Program; options: RunOptions }
  | { kind: 'debug'; program: Program; options: RunOptions; breakpoints: number[] }
  | { kind: 'command'; line: string }
  | { kind: 'breakpoints'; lines: number[] }
  | { kind: 'lanes'; format: string }
  | { kind: 'stop' };

export interface Problem {
  severity: 'error' | 'warning' | 'note';
  file: string;
  line: number;
  column: number;
  span: number;
  message: string;
  /** As the command line prints it: file:line:col, the source line and a caret. */
  text: string;
}

/** The cores of a mesh: a state letter each (debugger/mesh.ts), '.' for a disabled one, row by row, and
 * each link direction's share of busy cycles so far. */
export interface MeshView {
  name: string;
  w: number;
  h: number;
  letters: string;
  links: { x: number; y: number; dir: string; utilisation: number }[];
  cycles: string;
  focus?: number;
}

/** What the debugger shows of the stopped program. */
export interface DebugView {
  state: string;
  pc: string;
  /** The line of the edited file the pc is at (0: none). */
  line: number;
  thread: number;
  core: string;
  /** x0..x31 as 16 hex digits. */
  regs: string[];
  /** v0..v31 as lanes in the chosen format (empty when all zero). */
  vregs: string[][];
  laneFormat: string;
  stats: string;
  mesh?: MeshView;
}

export type Reply =
  | { kind: 'ready' }
  | { kind: 'fatal'; message: string }
  | { kind: 'diagnostics'; id: number; problems: Problem[] }
  | { kind: 'output'; fd: 1 | 2; text: string }
  | { kind: 'console'; text: string }
  | { kind: 'progress'; cycles: string; mesh?: MeshView }
  | {
      kind: 'done';
      exitCode: number;
      outcome: string;
      /** What `d1 run` prints to stderr when the program did not exit by itself. */
      report: string;
      /** `d1 run --stats` text and `--json` object. */
      stats: string;
      json: Record<string, unknown>;
      mips: number;
      mesh?: MeshView;
    }
  | { kind: 'debugging'; busy: boolean; view?: DebugView }
  | { kind: 'problems'; problems: Problem[] };
