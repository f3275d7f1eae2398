// The playground page: the editor, the buttons, the panes, and the worker that does the work
// (web/worker.ts). Everything the page shows comes from the same assembler, emulator and debugger as
// the command line; the page only draws it.
import '@xterm/xterm/css/xterm.css';
import './style.css';
import { EXAMPLES, LIBRARY } from 'd1:examples';
import { FORMAT_BY_NAME } from '../isa/numbers.js';
import { ABI_NAMES } from '../isa/registers.js';
import { Console } from './console.js';
import { Editor } from './editor.js';
import { decodeShared, encodeShared } from './permalink.js';
import type { DebugView, MeshView, Problem, Program, Reply, Request } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (r: Request) => worker.postMessage(r);

let name = 'hello.dasm';
let busy = false;
let ready = false;
/** The text the debugging session was started from (a changed text starts a new one). */
let debugging: string | undefined;
let lastRegs: string[] = [];
let nextId = 1;
const pending = new Map<number, (p: Problem[]) => void>();

const program = (): Program => ({ main: name, files: { ...LIBRARY, [name]: editor.text() } });
const machine = () => $<HTMLSelectElement>('machine').value;
const options = () => ({ machine: machine(), timing: $<HTMLInputElement>('timing').checked });

const editor = new Editor($('editor'), '', {
  problems: (text) =>
    new Promise((resolve) => {
      if (!ready) return resolve([]);
      const id = nextId++;
      pending.set(id, resolve);
      send({ kind: 'assemble', id, program: { main: name, files: { ...LIBRARY, [name]: text } } });
    }),
  breakpointsChanged: (lines) => debugging !== undefined && send({ kind: 'breakpoints', lines }),
  changed: () => {
    editor.showStop(0);
  },
});
const term = new Console($('console'), {
  command: (line) => command(line, false),
  interrupt: () => send({ kind: 'stop' }),
});

function status(text: string, error = false): void {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

function setBusy(b: boolean): void {
  busy = b;
  for (const id of ['run', 'debug', 'step', 'back', 'continue']) $<HTMLButtonElement>(id).disabled = b || !ready;
  $<HTMLButtonElement>('stop').disabled = !b;
}

function output(text: string, fd: 1 | 2 = 1): void {
  const out = $('output');
  const span = document.createElement('span');
  if (fd === 2) span.className = 'stderr';
  span.textContent = text;
  out.append(span);
}

function showTab(tab: string): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.classList.toggle('on', b.dataset['tab'] === tab);
  for (const t of document.querySelectorAll<HTMLElement>('.tab')) t.classList.toggle('on', t.id === `tab-${tab}`);
}

// ---- the mesh: cores coloured by state, links by the share of cycles they carried data ----
const STATE_COLOURS: Record<string, [string, string]> = {
  R: ['#2da44e', 'running'],
  S: ['#e3b341', 'semaphore'],
  B: ['#e16f24', 'barrier'],
  N: ['#218bff', 'network'],
  J: ['#8250df', 'join'],
  H: ['#afb8c1', 'exited'],
  '-': ['#eaeef2', 'idle'],
  '.': ['#57606a', 'disabled'],
};
$('mesh-legend').innerHTML = Object.values(STATE_COLOURS).map(([c, t]) => `<span><i style="background:${c}"></i>${t}</span>`).join('');

function drawMesh(m: MeshView): void {
  const canvas = $<HTMLCanvasElement>('mesh');
  const pitch = Math.max(8, Math.min(40, Math.floor(520 / Math.max(m.w, m.h))));
  const cell = Math.round(pitch * 0.7);
  canvas.width = m.w * pitch + 4;
  canvas.height = m.h * pitch + 4;
  canvas.dataset['letters'] = m.letters;
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, canvas.width, canvas.height);
  const centre = (x: number, y: number) => [2 + x * pitch + pitch / 2, 2 + y * pitch + pitch / 2] as const;
  g.lineWidth = Math.max(2, pitch / 10);
  for (const l of m.links) {
    const [dx, dy] = ({ EAST: [1, 0], WEST: [-1, 0], NORTH: [0, -1], SOUTH: [0, 1] } as Record<string, [number, number]>)[l.dir] ?? [0, 0];
    const [x0, y0] = centre(l.x, l.y);
    const [x1, y1] = centre(l.x + dx, l.y + dy);
    const o = pitch / 8;
    const u = Math.min(1, l.utilisation);
    g.strokeStyle = `hsl(${Math.round(220 - 220 * u)},80%,${Math.round(70 - 30 * u)}%)`;
    g.beginPath();
    g.moveTo(x0 + (dy ? (dy > 0 ? o : -o) : 0), y0 + (dx ? (dx > 0 ? o : -o) : 0));
    g.lineTo(x1 + (dy ? (dy > 0 ? o : -o) : 0), y1 + (dx ? (dx > 0 ? o : -o) : 0));
    g.stroke();
  }
  for (let y = 0; y < m.h; y++) {
    for (let x = 0; x < m.w; x++) {
      const k = y * m.w + x;
      const [cx, cy] = centre(x, y);
      g.fillStyle = STATE_COLOURS[m.letters[k]!]?.[0] ?? '#fff';
      g.fillRect(cx - cell / 2, cy - cell / 2, cell, cell);
      if (k === m.focus) {
        g.strokeStyle = '#000';
        g.lineWidth = 2;
        g.strokeRect(cx - cell / 2, cy - cell / 2, cell, cell);
      }
    }
  }
  const count = (c: string) => [...m.letters].filter((l) => l === c).length;
  $('mesh-title').textContent = `${m.name}, cycle ${m.cycles}: ${count('R')} running, ${count('S') + count('B') + count('N') + count('J')} waiting, ${count('H')} exited`;
}

// ---- the debugger's panes ----
function showView(v: DebugView): void {
  $('where').textContent = `core ${v.core}, thread ${v.thread}, pc 0x${v.pc} (${v.state})`;
  const rows: string[] = [];
  for (let i = 0; i < 16; i++) {
    const cell = (r: number) => `<td class="name">${ABI_NAMES[r]}</td><td data-reg="${ABI_NAMES[r]}" class="${lastRegs.length && lastRegs[r] !== v.regs[r] ? 'changed' : ''}">0x${v.regs[r]}</td>`;
    rows.push(`<tr>${cell(i)}${cell(i + 16)}</tr>`);
  }
  $('registers').innerHTML = rows.join('');
  lastRegs = v.regs;
  $('vectors').innerHTML = v.vregs.map((lanes, r) => (lanes.length ? `<tr><td class="name">v${r}</td><td>${lanes.join(' ')}</td></tr>` : '')).join('') || '<tr><td>(every vector register is zero)</td></tr>';
  $('stats').textContent = v.stats;
  if (v.mesh) drawMesh(v.mesh);
  editor.showStop(v.line);
}

function laneFormat(): string {
  const f = $<HTMLSelectElement>('lane-format').value;
  const cfloat = FORMAT_BY_NAME.get(f)?.kind === 'cfloat';
  $('bias-label').style.display = cfloat ? '' : 'none';
  return cfloat ? `${f}:${$<HTMLInputElement>('lane-bias').value}` : f;
}

// ---- actions ----
function run(): void {
  if (busy) return;
  debugging = undefined;
  $('output').textContent = '';
  setBusy(true);
  status('running…');
  send({ kind: 'run', program: program(), options: options() });
}

/** A debugger command, from a button (echoed in the console) or typed there. */
function command(line: string, echo = true): void {
  // (a command typed while another runs waits for it: the worker takes requests in order)
  const text = editor.text();
  if (debugging !== text) {
    debugging = text;
    lastRegs = [];
    $('output').textContent = '';
    term.clear();
    setBusy(true);
    send({ kind: 'debug', program: program(), options: options(), breakpoints: editor.lines() });
  }
  if (line.trim() === '') return;
  if (echo) term.echo(line);
  setBusy(true);
  status(`${line}…`);
  send({ kind: 'command', line });
}

worker.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  switch (r.kind) {
    case 'ready':
      ready = true;
      setBusy(false);
      status('ready');
      // assemble what is in the editor now that the worker can
      editor.view.dispatch({ changes: { from: 0, insert: '' } });
      return;
    case 'fatal':
      setBusy(false);
      status(r.message, true);
      term.print(`error: ${r.message}`);
      return;
    case 'diagnostics':
      pending.get(r.id)?.(r.problems);
      pending.delete(r.id);
      return;
    case 'problems':
      if (r.problems.length > 0) output(`${r.problems.map((p) => p.text).join('\n')}\n`, 2);
      return;
    case 'output':
      output(r.text, r.fd);
      return;
    case 'console':
      term.print(r.text);
      return;
    case 'progress':
      status(`running… cycle ${r.cycles}`);
      if (r.mesh) drawMesh(r.mesh);
      return;
    case 'done':
      setBusy(false);
      if (r.report) output(`${r.report}\n`, 2);
      $('stats').textContent = r.stats;
      $('stats').dataset['json'] = JSON.stringify(r.json);
      if (r.mesh) drawMesh(r.mesh);
      $('output').dataset['exit'] = String(r.exitCode);
      status(`exit ${r.exitCode} (${r.outcome}) · ${String(r.json['cycles'] ?? '')} cycles · ${r.mips.toFixed(0)} MIPS`, r.exitCode !== 0);
      return;
    case 'debugging':
      setBusy(r.busy);
      if (r.view) {
        showView(r.view);
        status(`${r.view.state} at 0x${r.view.pc}`);
      }
      return;
  }
};

// ---- wiring ----
const select = $<HTMLSelectElement>('examples');
select.innerHTML = EXAMPLES.map((x) => `<option value="${x.name}">${x.name}${x.machine !== '1' ? ` (${x.machine})` : ''}</option>`).join('');
function loadExample(n: string): void {
  const x = EXAMPLES.find((e) => e.name === n);
  if (!x) return;
  name = `${x.name}.dasm`;
  select.value = x.name;
  $<HTMLSelectElement>('machine').value = x.machine;
  editor.clearBreakpoints();
  editor.setText(x.text);
  debugging = undefined;
}
select.onchange = () => loadExample(select.value);
$('run').onclick = run;
$('debug').onclick = () => {
  debugging = undefined;
  command('');
};
$('step').onclick = () => command('stepi');
$('back').onclick = () => command('reverse-stepi');
$('continue').onclick = () => command('continue');
$('stop').onclick = () => send({ kind: 'stop' });
$('share').onclick = async () => {
  location.hash = await encodeShared({ name, text: editor.text(), ...options() });
  status('the address now holds this program: copy it to share');
};
for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.onclick = () => showTab(b.dataset['tab']!);
$<HTMLSelectElement>('lane-format').innerHTML = [...FORMAT_BY_NAME.keys()].map((f) => `<option${f === 'bf16' ? ' selected' : ''}>${f}</option>`).join('');
$('lane-format').onchange = $('lane-bias').onchange = () => send({ kind: 'lanes', format: laneFormat() });
laneFormat();
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});

const shared = await decodeShared(location.hash);
if (shared) {
  name = shared.name;
  editor.setText(shared.text);
  $<HTMLSelectElement>('machine').value = shared.machine;
  $<HTMLInputElement>('timing').checked = shared.timing;
  select.value = '';
} else loadExample('hello');
