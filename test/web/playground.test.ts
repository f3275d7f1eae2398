// The playground in a real browser: Debian's Chromium driven by playwright-core, against `d1 serve`.
// It loads the page, has an assembler error marked as it is typed and fixed, runs hello, gemm and a 4x4
// mesh program (output, exit code and cycle counts byte for byte those of `d1 run`), steps forwards and
// back through the debugger with breakpoints from the gutter, types debugger commands in the console,
// stops a run that would not end, and opens a permalink. A screenshot is left in test-results/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM) && existsSync(join(ROOT, 'dist', 'web', 'index.html'));
const WHY = existsSync(CHROMIUM) ? 'run `npm run build` first (dist/web)' : 'install Debian package chromium (or set CHROMIUM)';
const WAIT = { timeout: 120_000 };

let server: ChildProcess;
let url = '';
let browser: Browser;
let page: Page;

/** `d1 run` on the command line: its output and --json figures. */
function cli(program: string, ...flags: string[]) {
  const r = spawnSync('node', [join(ROOT, 'bin', 'd1.js'), 'run', '--json', ...flags, join(ROOT, 'programs', program)], { encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  const json = JSON.parse(lines.pop()!) as Record<string, unknown>;
  return { stdout: lines.length > 0 ? `${lines.join('\n')}\n` : '', json, status: r.status };
}

async function setText(text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

async function example(name: string): Promise<void> {
  await page.selectOption('#examples', name);
}

/** Run what is in the editor and wait for the end; the output, exit code and figures the page shows. */
async function runInPage() {
  await page.evaluate(() => {
    document.getElementById('status')!.textContent = '';
  });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('exit'), null, WAIT);
  return {
    stdout: await page.locator('#output').evaluate((e) => [...e.children].filter((c) => !c.classList.contains('stderr')).map((c) => c.textContent).join('')),
    exit: Number(await page.locator('#output').getAttribute('data-exit')),
    json: JSON.parse((await page.locator('#stats').getAttribute('data-json'))!) as Record<string, unknown>,
  };
}

/** Press a debugger button and wait until the worker has answered. */
async function press(id: string): Promise<void> {
  await page.evaluate(() => {
    document.getElementById('status')!.textContent = '';
  });
  await page.click(`#${id}`);
  await page.waitForFunction(() => / at 0x[0-9a-f]+$/.test(document.getElementById('status')!.textContent!), null, WAIT);
}

/** Click the breakpoint gutter beside a line. */
async function gutterClick(line: number): Promise<void> {
  const at = (await page.locator('.cm-line').nth(line - 1).boundingBox())!;
  const g = (await page.locator('.cm-breakpoint-gutter').boundingBox())!;
  await page.mouse.click(g.x + g.width / 2, at.y + at.height / 2);
}

const register = (name: string) => page.locator(`#registers td[data-reg="${name}"]`).textContent();
const consoleText = () => page.locator('.xterm-rows').textContent();

describe.skipIf(!HAVE)(`the playground in Chromium${HAVE ? '' : ` (skipped: ${WHY})`}`, () => {
  beforeAll(async () => {
    server = spawn('node', [join(ROOT, 'bin', 'd1.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        const m = /http:\/\/\S+\//.exec(seen);
        if (m) resolve(m[0]);
      });
      server.on('exit', (code) => reject(new Error(`d1 serve exited with ${code}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'ready', null, WAIT);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-results', 'playground.png') });
    }
    await browser?.close();
    server?.kill();
  });

  it('marks an assembler error at its line and column as it is typed, and clears it once fixed', async () => {
    await example('hello');
    await setText('        .text\n_start:\n        li a0, 1\n        addi a0, a0, bogus_symbol +\n        ecall\n');
    // (a range under the span, or a point where the span is the end of the line)
    const mark = page.locator('.cm-lintRange-error, .cm-lintPoint-error');
    await mark.first().waitFor({ state: 'attached', ...WAIT });
    // the mark is on line 4, where the error is
    const line = await mark.first().evaluate((e) => e.closest('.cm-line')!.textContent);
    expect(line).toContain('bogus_symbol');
    await expect.poll(() => page.locator('.cm-lint-marker-error').count(), WAIT).toBe(1);
    await setText('        .text\n_start:\n        li a0, 1\n        li a7, 93\n        ecall\n');
    await expect.poll(() => mark.count(), WAIT).toBe(0);
    const r = await runInPage();
    expect(r.exit).toBe(1);
  });

  for (const name of ['hello', 'gemm']) {
    it(`runs ${name} with the output, exit code and cycle counts of d1 run`, async () => {
      await example(name);
      const page_ = await runInPage();
      const ref = cli(`${name}.dasm`);
      expect(page_.stdout).toBe(ref.stdout);
      expect(page_.exit).toBe(ref.status);
      for (const k of ['exitCode', 'outcome', 'cycles', 'instructions', 'threads', 'stalls', 'matrix', 'sram']) expect(page_.json[k], k).toEqual(ref.json[k]);
    });
  }

  it('runs a 4x4 mesh program as d1 run --mesh 4x4 does, and shows the grid of cores', async () => {
    await example('summa');
    expect(await page.inputValue('#machine')).toBe('4x4');
    const r = await runInPage();
    const ref = cli('summa.dasm', '--mesh', '4x4');
    expect(r.stdout).toBe(ref.stdout);
    expect(r.exit).toBe(0);
    for (const k of ['exitCode', 'cycles', 'instructions', 'stalls', 'network', 'perCore']) expect(r.json[k], k).toEqual(ref.json[k]);
    await page.click('#tabs button[data-tab="mesh"]');
    expect(await page.locator('#mesh').getAttribute('data-letters')).toBe('H'.repeat(16));
    expect(await page.locator('#mesh-title').textContent()).toContain('16 exited');
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'playground-mesh.png') });
  });

  it('steps, steps back and continues to a breakpoint set in the gutter; registers show what changed', async () => {
    await example('hello');
    await page.selectOption('#machine', '1');
    await page.click('#tabs button[data-tab="registers"]');
    await press('debug');
    expect(await page.locator('#where').textContent()).toContain('pc 0x1000');
    await press('step'); // li a0, 1
    expect(await register('a0')).toBe('0x0000000000000001');
    expect(await page.locator('#registers td[data-reg="a0"]').getAttribute('class')).toContain('changed');
    expect(await page.locator('.cm-stopLine').textContent()).toContain('la      a1, message');
    await press('step');
    await press('back');
    expect(await page.locator('.cm-stopLine').textContent()).toContain('la      a1, message');
    expect(await register('a1')).toBe('0x0000000000000000');
    // a breakpoint on line 16 (li a7, 64): click its gutter, continue
    await gutterClick(16);
    await expect.poll(() => page.locator('.bp-dot').count(), WAIT).toBe(1);
    await press('continue');
    expect(await page.locator('.cm-stopLine').textContent()).toContain('li      a7, 64');
    expect(await consoleText()).toContain('Breakpoint 1');
    expect(await register('a2')).toBe('0x000000000000001b');
  });

  it('takes the debugger commands in its console', async () => {
    await example('hello');
    await press('debug');
    await page.click('.xterm');
    await page.keyboard.type('break 16\r');
    await expect.poll(consoleText, WAIT).toContain('Breakpoint 1 at');
    await page.keyboard.type('continue\r');
    await expect.poll(consoleText, WAIT).toContain('Breakpoint 1,');
    await page.keyboard.type('info registers a2\r');
    await expect.poll(consoleText, WAIT).toMatch(/a2\s+0x000000000000001b\s+27/);
    await page.keyboard.type('x/s message\r');
    await expect.poll(consoleText, WAIT).toContain('Hello from a Dojo D1 core!');
  });

  it('shows vector registers as lanes in the chosen format', async () => {
    await setText('        .data\nw:      .bf16 1.5, -0.25, 3, 0.5\n        .text\n_start: la a0, w\n        vld v1, 0(a0)\n        li a7, 93\n        ecall\n');
    await page.selectOption('#machine', '1');
    await page.click('#tabs button[data-tab="vectors"]');
    await page.selectOption('#lane-format', 'bf16');
    await press('debug');
    for (let i = 0; i < 3; i++) await press('step');
    await expect.poll(() => page.locator('#vectors').textContent(), WAIT).toContain('v11.5 -0.25 3.0 0.5 0.0');
    await page.selectOption('#lane-format', 'fp32');
    await expect.poll(() => page.locator('#vectors').textContent(), WAIT).toContain('v1-0.25048637 0.50098038 0.0');
  });

  it('stops a run that would not end', async () => {
    await setText('        .text\n_start:\n        j _start\n');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('running'), null, WAIT);
    await page.click('#stop');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('exit'), null, WAIT);
    expect(await page.locator('#status').textContent()).toContain('exit 130 (interrupted)');
  });

  it('opens a permalink with the program, the machine and the options', async () => {
    const text = '        .text\n_start:\n        li a0, 42\n        li a7, 93\n        ecall\n';
    await setText(text);
    await page.selectOption('#machine', '2x2');
    await page.uncheck('#timing');
    await page.click('#share');
    await page.waitForFunction(() => location.hash.startsWith('#p='), null, WAIT);
    const link = page.url();
    const other = await browser.newPage();
    await other.goto(link);
    await other.waitForFunction(() => document.getElementById('status')!.textContent === 'ready', null, WAIT);
    expect(await other.locator('.cm-content').evaluate((e) => [...e.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'))).toBe(text);
    expect(await other.inputValue('#machine')).toBe('2x2');
    expect(await other.isChecked('#timing')).toBe(false);
    await other.close();
    await page.check('#timing');
  });
});
