// The debugger's command line in the page: xterm.js with a small line editor (typing, backspace, left
// and right, history with up and down, Ctrl-C to stop a run), the same commands as `d1 debug`.
import { Terminal } from '@xterm/xterm';

const PROMPT = '(d1) ';

export class Console {
  readonly term: Terminal;
  private line = '';
  private cursor = 0;
  private readonly past: string[] = [];
  private back = 0;

  constructor(parent: HTMLElement, private readonly hooks: { command: (line: string) => void; interrupt: () => void }) {
    this.term = new Terminal({ convertEol: true, fontSize: 13, rows: 12, theme: { background: '#1e1e1e' }, scrollback: 5000 });
    this.term.open(parent);
    this.term.onData((d) => this.input(d));
    this.term.write(PROMPT);
  }

  /** Text from the debugger, above the line being typed. */
  print(text: string): void {
    this.term.write(`\r\x1b[2K${text.replace(/\n/g, '\r\n')}\r\n`);
    this.redraw();
  }

  /** A new session: only the line being typed stays. */
  clear(): void {
    this.term.clear();
    this.redraw();
  }

  /** Type a command as if the user had (the page's buttons do, so the console shows what ran). */
  echo(line: string): void {
    this.term.write(`\r\x1b[2K${PROMPT}${line}\r\n`);
    this.redraw();
  }

  private redraw(): void {
    this.term.write(`\r\x1b[2K${PROMPT}${this.line}`);
    const left = this.line.length - this.cursor;
    if (left > 0) this.term.write(`\x1b[${left}D`);
  }

  private input(data: string): void {
    if (data === '\r') {
      const line = this.line;
      this.term.write('\r\n');
      this.line = '';
      this.cursor = 0;
      this.back = 0;
      if (line.trim() !== '' && this.past[this.past.length - 1] !== line) this.past.push(line);
      this.term.write(PROMPT);
      this.hooks.command(line);
      return;
    }
    if (data === '\x03') {
      this.term.write('^C\r\n');
      this.line = '';
      this.cursor = 0;
      this.term.write(PROMPT);
      this.hooks.interrupt();
      return;
    }
    if (data === '\x7f' || data === '\b') {
      if (this.cursor > 0) {
        this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
        this.cursor--;
      }
    } else if (data === '\x1b[A' || data === '\x1b[B') {
      const n = this.past.length;
      this.back = Math.max(0, Math.min(n, this.back + (data === '\x1b[A' ? 1 : -1)));
      this.line = this.back === 0 ? '' : this.past[n - this.back]!;
      this.cursor = this.line.length;
    } else if (data === '\x1b[D') this.cursor = Math.max(0, this.cursor - 1);
    else if (data === '\x1b[C') this.cursor = Math.min(this.line.length, this.cursor + 1);
    else if (!data.startsWith('\x1b')) {
      const text = data.replace(/[\x00-\x1f]/g, '');
      this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
      this.cursor += text.length;
    }
    this.redraw();
  }
}
