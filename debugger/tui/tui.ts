// `d1 debug --tui` (docs/debugger.md, "Full-screen TUI"): the source (or disassembly) around pc, the
// registers with the ones the last command changed marked, a vector register as lanes, the core/thread
// map, and the command console, redrawn after every command and on every resize. Plain ANSI escapes;
// colour only when the terminal has it and NO_COLOR is not set (then changes are marked with '*').
import { coreState, MESH_LEGEND, meshGrid } from '../mesh.js';
import { emitKeypressEvents } from 'node:readline';
import { ABI_NAMES, vreg } from '../../isa/registers.js';
import { instructionText } from '../../emulator/host/report.js';
import { execute, selected, type Context } from '../commands.js';
import { lanes } from '../dojo.js';
import { entryFormat, NUMBER_FORMATS } from '../../isa/numbers.js';
import { coreStats } from '../../emulator/host/stats.js';

const ESC = '\x1b[';

interface Pane {
  title: string;
  lines: string[];
}

export class Tui {
  private console: string[] = [];
  /** The last console line has no newline yet. */
  private open = false;
  private input = '';
  private history: string[] = [];
  private historyAt = 0;
  private previous = new Map<number, bigint>();
  private changed = new Set<number>();
  /** The vector register the vector pane shows (`vshow N` picks another). */
  private vshown = 1;
  private busy = false;
  private readonly color: boolean;

  constructor(private readonly ctx: Context) {
    this.color = !process.env['NO_COLOR'] && process.stdout.hasColors?.() === true;
    ctx.out = (text: string) => this.print(`${text}\n`);
    // The program's own output goes to the console pane too, partial lines included.
    const sink = { write: (chunk: string | Uint8Array) => (this.print(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1')), true) };
    ctx.session.io = { stdout: sink, stderr: sink };
    this.remember();
  }

  /** Text for the console: continues an unfinished last line, keeps the last 500 lines. */
  private print(text: string): void {
    const parts = text.replace(/\r/g, '').split('\n');
    if (this.open && this.console.length > 0) this.console[this.console.length - 1] += parts.shift()!;
    for (const p of parts) this.console.push(p);
    this.open = !text.endsWith('\n');
    if (!this.open) this.console.pop(); // the empty piece after the final newline
    if (this.console.length > 500) this.console.splice(0, this.console.length - 500);
  }

  private remember(): void {
    const core = this.ctx.session.core;
    this.changed.clear();
    for (let i = 1; i < 32; i++) {
      const v = core.getReg(i, selected(this.ctx));
      if (this.previous.has(i) && this.previous.get(i) !== v) this.changed.add(i);
      this.previous.set(i, v);
    }
  }

  private mark(text: string, on: boolean): string {
    if (!on) return text;
    return this.color ? `${ESC}1;33m${text}${ESC}0m` : `${text}*`;
  }

  private sourcePane(rows: number): Pane {
    const s = this.ctx.session;
    const pc = s.core.pc;
    const l = s.line(pc);
    const text = l ? this.ctx.source(l.file, l.line) : undefined;
    const out: string[] = [];
    if (l && text !== undefined) {
      const first = Math.max(1, l.line - Math.floor(rows / 2));
      for (let n = first; n < first + rows; n++) {
        const t = this.ctx.source(l.file, n);
        if (t === undefined) break;
        out.push(`${n === l.line ? '=>' : '  '}${String(n).padStart(5)}  ${t}`);
      }
      return { title: `${l.file}:${l.line}`, lines: out };
    }
    // no source: disassembly around pc (fewer lines at the ends of SRAM)
    for (let k = -Math.floor(rows / 2); k < rows - Math.floor(rows / 2); k++) {
      const a = pc + BigInt(4 * k);
      const text = instructionText(s.core, s.image, a);
      if (text !== undefined) out.push(`${a === pc ? '=>' : '  '} ${a.toString(16).padStart(6)}  ${text}`);
    }
    return { title: 'disassembly', lines: out };
  }

  private registerPane(): Pane {
    const core = this.ctx.session.core;
    const t = selected(this.ctx);
    const out: string[] = [`pc   ${core.pc.toString(16).padStart(16, '0')}`];
    for (let i = 1; i < 32; i += 2) {
      const cell = (r: number) => this.mark(`${ABI_NAMES[r]!.padStart(4)} ${core.getReg(r, t).toString(16).padStart(16, '0')}`, this.changed.has(r));
      out.push(`${cell(i)}  ${i + 1 < 32 ? cell(i + 1) : ''}`);
    }
    out.push(`instret ${core.instret}  cycles ${core.cycles}`);
    return { title: `registers (thread ${t})`, lines: out };
  }

  private vectorPane(): Pane {
    const core = this.ctx.session.core;
    const t = selected(this.ctx);
    const { format, bias } = entryFormat(core.getFormatEntry(0, t));
    const fmt = format ?? NUMBER_FORMATS[0]!;
    return { title: `v${this.vshown} as ${fmt.name} (fmt0; 'vshow N' picks the register)`, lines: lanes(core.getVreg(this.vshown, t), fmt, bias) };
  }

  private meshPane(): Pane {
    const threads = this.ctx.session.core.threads();
    const waits = (th: (typeof threads)[number]) => (th.waitKind === 'join' ? `joins t${th.waitFor}` : `waits ${th.waitKind === 'remote' ? 'network' : th.waitKind}`);
    const state = threads.map((th) => `t${th.thread} ${th.state === 'running' ? 'runs' : th.state === 'waiting' ? waits(th) : 'free'}`).join(', ');
    const st = coreStats(this.ctx.session.core);
    const busy = `simd ${(100 * st.simd.utilisation).toFixed(0)}%  matrix ${(100 * st.matrix.utilisation).toFixed(0)}%  IPC ${st.ipc.toFixed(2)}`;
    const m = this.ctx.session.machine;
    if (!m) return { title: 'mesh 1x1', lines: ['+-----------+', `| core 0,0  |  ${this.ctx.session.state}`, '+-----------+', state, busy] };
    const focus = this.ctx.session.focus;
    return {
      title: `${m.preset.name} ${m.preset.w}x${m.preset.h}: core ${m.name(focus)} ('core X,Y' picks one)`,
      lines: [`${coreState(m, focus).text}; ${state}`, busy, ...meshGrid(m, focus), MESH_LEGEND],
    };
  }

  /** Draw a pane into a w x h box at (x, y) of the frame. */
  private box(frame: string[][], x: number, y: number, w: number, h: number, p: Pane): void {
    const put = (r: number, c: number, ch: string) => {
      if (r >= 0 && r < frame.length && c >= 0 && c < frame[r]!.length) frame[r]![c] = ch;
    };
    for (let c = 0; c < w; c++) {
      put(y, x + c, '-');
      put(y + h - 1, x + c, '-');
    }
    for (let r = 0; r < h; r++) {
      put(y + r, x, '|');
      put(y + r, x + w - 1, '|');
    }
    const title = ` ${p.title} `.slice(0, Math.max(0, w - 4));
    [...title].forEach((ch, k) => put(y, x + 2 + k, ch));
    p.lines.slice(0, h - 2).map(untab).forEach((line, r) => {
      // keep escape sequences whole: a cell holds a visible character plus any escapes before it
      let c = 0;
      let pending = '';
      for (let k = 0; k < line.length && c < w - 2; k++) {
        if (line[k] === '\x1b') {
          const m = /^\x1b\[[0-9;]*m/.exec(line.slice(k))!;
          pending += m[0];
          k += m[0].length - 1;
          continue;
        }
        put(y + 1 + r, x + 1 + c, pending + line[k]!);
        pending = '';
        c++;
      }
      if (pending) put(y + 1 + r, x + c, (frame[y + 1 + r]?.[x + c] ?? ' ') + pending);
    });
  }

  render(): void {
    const cols = Math.max(40, process.stdout.columns ?? 100);
    const rows = Math.max(16, process.stdout.rows ?? 30);
    const frame = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ' '));
    const consoleRows = Math.max(5, Math.floor(rows / 4));
    const top = rows - consoleRows - 1;
    const left = Math.max(30, Math.floor(cols * 0.55));
    const right = cols - left;
    this.box(frame, 0, 0, left, top, this.sourcePane(top - 2));
    // the right column: registers, the vector register, the machine; on a mesh the grid comes first (its
    // rows, the state lines, the legend and the borders), the registers get what is left (at most 19)
    const m = this.ctx.session.machine;
    const meshRows = m ? Math.min(m.preset.h + 5, Math.max(5, top - 12)) : 0;
    const regRows = Math.min(top - meshRows, 19);
    this.box(frame, left, 0, right, regRows, this.registerPane());
    const rest = top - regRows - meshRows;
    if (m) {
      if (rest >= 4) this.box(frame, left, regRows, right, rest, this.vectorPane());
      this.box(frame, left, top - meshRows, right, meshRows, this.meshPane());
    } else if (rest >= 6) {
      const vec = Math.max(4, rest - 6);
      this.box(frame, left, regRows, right, vec, this.vectorPane());
      this.box(frame, left, regRows + vec, right, rest - vec, this.meshPane());
    }
    const shown = this.console.slice(-(consoleRows - 1));
    for (let r = 0; r < consoleRows - 1; r++) {
      // tabs as spaces: a tab written to the terminal would jump over cells and leave what was there
      const line = untab(shown[r] ?? '');
      [...line.slice(0, cols)].forEach((ch, c) => (frame[top + r]![c] = ch));
    }
    const prompt = `(d1) ${this.input}`;
    [...prompt.slice(0, cols)].forEach((ch, c) => (frame[rows - 2]![c] = ch));
    const status = ' Enter: run command  Up/Down: history  Ctrl-C: interrupt  Ctrl-D or quit: leave ';
    [...status.slice(0, cols)].forEach((ch, c) => (frame[rows - 1]![c] = ch));
    // Each row placed explicitly: no newline can scroll the screen, whatever the terminal's wrap rules.
    process.stdout.write(`${frame.map((r, k) => `${ESC}${k + 1};1H${r.join('')}`).join('')}${ESC}0m${ESC}${rows - 1};${Math.min(cols, prompt.length + 1)}H`);
  }

  private async submit(typed: string): Promise<void> {
    const line = typed.trim();
    if (line) {
      this.history.push(line);
      this.historyAt = this.history.length;
    }
    this.console.push(`(d1) ${line}`);
    const m = /^vshow\s+v?(\d+)$/.exec(line);
    const v = m ? vreg(`v${m[1]}`) : undefined;
    if (v !== undefined) this.vshown = v;
    else {
      this.busy = true;
      this.render();
      await execute(this.ctx, line);
      this.busy = false;
    }
    this.remember();
    this.render();
  }

  /** Run until quit or Ctrl-D. */
  run(): Promise<void> {
    return new Promise((resolve) => {
      const stdin = process.stdin;
      emitKeypressEvents(stdin);
      if (stdin.isTTY) stdin.setRawMode(true);
      process.stdout.write(`${ESC}?1049h${ESC}2J`); // the alternate screen, cleared
      const leave = () => {
        stdin.off('keypress', onKey);
        process.stdout.off('resize', onResize);
        if (stdin.isTTY) stdin.setRawMode(false);
        stdin.pause();
        process.stdout.write(`${ESC}?1049l`);
        resolve();
      };
      const onResize = () => {
        process.stdout.write(`${ESC}2J`);
        this.render();
      };
      let chain = Promise.resolve();
      const onKey = (str: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
        if (key?.ctrl && key.name === 'c') {
          if (this.busy) this.ctx.session.interrupted = true;
          else this.input = '';
          return this.render();
        }
        if (key?.ctrl && key.name === 'd') return leave();
        if (key?.name === 'return') {
          // Keys can arrive many at once (a paste, tmux send-keys): take the line now, run it in turn.
          const line = this.input;
          this.input = '';
          chain = chain.then(() => this.submit(line)).then(() => {
            if (this.ctx.quit) leave();
          });
          return;
        }
        if (key?.name === 'backspace') this.input = this.input.slice(0, -1);
        else if (key?.name === 'up' && this.historyAt > 0) this.input = this.history[--this.historyAt] ?? '';
        else if (key?.name === 'down') this.input = this.history[++this.historyAt] ?? '';
        else if (str && !key?.ctrl && str >= ' ') this.input += str;
        this.render();
      };
      stdin.on('keypress', onKey);
      process.stdout.on('resize', onResize);
      this.render();
    });
  }
}

/** A line with its tabs expanded to spaces (tab stops every 8 visible columns; colour escapes take none). */
function untab(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let col = 0;
  for (let k = 0; k < line.length; k++) {
    const esc = line[k] === '\x1b' ? /^\x1b\[[0-9;]*m/.exec(line.slice(k)) : null;
    if (esc) {
      out += esc[0];
      k += esc[0].length - 1;
    } else if (line[k] === '\t') {
      out += ' '.repeat(8 - (col % 8));
      col += 8 - (col % 8);
    } else {
      out += line[k];
      col++;
    }
  }
  return out;
}
