// The `d1 debug` front end: a gdb-like command line with line editing and history (node:readline),
// commands from a file with -x, and --batch to run them and exit (for scripts and CI).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Image } from '../assembler/image.js';
import { execute, newContext } from './commands.js';
import { Session } from './session.js';
import { Tui } from './tui/tui.js';
import type { MeshPreset } from '../emulator/presets.js';

export interface DebugOptions {
  script?: string;
  batch?: boolean;
  /** The full-screen interface instead of the command line. */
  tui?: boolean;
  source: (file: string, line: number) => string | undefined;
  /** A machine of many cores (`--mesh`, `--die`); one core when absent. */
  preset?: MeshPreset;
}

export async function debugMain(image: Image, opts: DebugOptions): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const session = new Session(image, { stdout: process.stdout, stderr: process.stderr }, undefined, opts.preset);
  const ctx = newContext(session, out, opts.source);
  if (opts.script !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.script, 'utf8');
    } catch {
      process.stderr.write(`d1 debug: cannot read command file '${opts.script}'\n`);
      return 1;
    }
    for (const line of text.split('\n')) {
      await execute(ctx, line);
      if (ctx.quit) return 0;
    }
  }
  if (opts.batch) return 0;
  if (opts.tui) {
    ctx.interactive = true;
    await new Tui(ctx).run();
    return 0;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '(d1) ', historySize: 1000, terminal: process.stdin.isTTY });
  ctx.interactive = true;
  // Ctrl-C stops a running program and returns to the prompt; at the prompt it only clears the line.
  let running = false;
  const interrupt = () => {
    if (running) session.interrupted = true;
    else {
      out('^C');
      rl.prompt();
    }
  };
  rl.on('SIGINT', interrupt);
  process.on('SIGINT', interrupt);
  out(`d1 debugger: ${image.symbols.length} symbols, entry 0x${image.entry.toString(16)}. Type "help" for commands.`);
  rl.prompt();
  for await (const line of rl) {
    running = true;
    await execute(ctx, line);
    running = false;
    if (ctx.quit) break;
    rl.prompt();
  }
  rl.close();
  process.off('SIGINT', interrupt);
  return 0;
}
