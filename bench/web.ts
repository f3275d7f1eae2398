// The playground's speed (issue 14): the same crc32 kernel run in the page, in Debian's Chromium, and in
// this process, on the same machine. Skipped (no row) when chromium or dist/web is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/** MIPS of `text` run in the page (best of `runs`), or undefined when there is no browser to run it. */
export async function pageMips(root: string, text: string, runs: number): Promise<number | undefined> {
  if (!existsSync(CHROMIUM) || !existsSync(join(root, 'dist', 'web', 'index.html'))) return undefined;
  const server = spawn(process.execPath, [join(root, 'bin', 'd1.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        const m = /http:\/\/\S+\//.exec(seen);
        if (m) resolve(m[0]);
      });
      server.on('exit', (code) => reject(new Error(`d1 serve exited with ${code}`)));
    });
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'ready', null, { timeout: 120_000 });
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
    let best = 0;
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => (document.getElementById('status')!.textContent = ''));
      await page.click('#run');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('exit'), null, { timeout: 600_000 });
      const json = JSON.parse((await page.locator('#stats').getAttribute('data-json'))!) as { exitCode: number; mips: number };
      if (json.exitCode !== 0) throw new Error(`the page's run ended with exit code ${json.exitCode}`);
      best = Math.max(best, json.mips);
    }
    return best;
  } finally {
    await browser.close();
    server.kill();
  }
}

/** A program with its includes of programs/ written inline (the page holds one file, and programs/lib). */
export function inlineIncludes(root: string, text: string): string {
  return text.replace(/^\s*\.include\s+"(?!lib\/)([^"]+)"\s*$/gm, (_, f: string) => readFileSync(join(root, 'programs', f), 'utf8'));
}
