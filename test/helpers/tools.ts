// Oracles and helpers shared by the test suites: which external tools exist (a suite whose oracle is
// missing is skipped with a message naming the Debian package), temporary folders, running the CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, boolean>();
export function have(tool: string): boolean {
  // in the temporary folder: csmith writes platform.info wherever it runs, even for --version
  const runs = (flag: string) => spawnSync(tool, [flag], { stdio: 'ignore', cwd: tmpdir() }).status === 0;
  if (!cache.has(tool)) cache.set(tool, runs('--version') || runs('-V')); // tmux knows only -V
  return cache.get(tool)!;
}

export const PACKAGES = {
  gnuAs: { tools: ['riscv64-unknown-elf-as', 'riscv64-unknown-elf-ld', 'riscv64-unknown-elf-objcopy', 'riscv64-unknown-elf-objdump'], pkg: 'binutils-riscv64-unknown-elf' },
  gnuNm: { tools: ['riscv64-unknown-elf-nm'], pkg: 'binutils-riscv64-unknown-elf' },
  qemu: { tools: ['qemu-riscv64'], pkg: 'qemu-user' },
  gcc: { tools: ['riscv64-unknown-elf-gcc'], pkg: 'gcc-riscv64-unknown-elf' },
  gdbMultiarch: { tools: ['gdb-multiarch'], pkg: 'gdb-multiarch' },
  tmux: { tools: ['tmux'], pkg: 'tmux' },
  csmith: { tools: ['csmith'], pkg: 'csmith' },
} as const;

/** Title suffix saying why a suite is skipped, or '' when its tools are installed. */
export function missing(...needs: (keyof typeof PACKAGES)[]): string {
  const absent = needs.filter((n) => !PACKAGES[n].tools.every(have)).map((n) => PACKAGES[n].pkg);
  if (absent.length === 0) return '';
  const msg = ` (skipped: install the Debian package${absent.length > 1 ? 's' : ''} ${absent.join(', ')})`;
  process.stderr.write(`d1 tests:${msg}\n`);
  return msg;
}

export function tempDir(prefix = 'd1-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function sh(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, timeout: 300_000, ...opts });
}

export const D1_BIN = fileURLToPath(new URL('../../bin/d1.js', import.meta.url));
export const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));

/** Run the built `d1` command. */
export function d1(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = sh(process.execPath, [D1_BIN, ...args], opts);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** GNU as + ld at d1's link base, without relaxation; returns the ELF path or the error text. The object
 * of `source` is `<name>.o` in dir; `others` are more sources, linked after it. */
export function gnuBuild(source: string, dir: string, name = 'gnu', others: string[] = []): { elf?: string; error?: string } {
  const objs: string[] = [];
  for (const [k, text] of [source, ...others].entries()) {
    const src = join(dir, `${name}${k ? `-${k}` : ''}.s`);
    const obj = join(dir, `${name}${k ? `-${k}` : ''}.o`);
    writeFileSync(src, text);
    const as = sh('riscv64-unknown-elf-as', ['-march=rv64im_zicsr', '-mno-relax', src, '-o', obj]);
    if (as.status !== 0) return { error: as.stderr };
    objs.push(obj);
  }
  const elf = join(dir, `${name}.elf`);
  const ld = sh('riscv64-unknown-elf-ld', ['-Ttext=0x1000', '--no-relax', ...objs, '-o', elf]);
  if (ld.status !== 0) return { error: ld.stderr };
  return { elf };
}

/** Bytes of one section of an ELF, via GNU objcopy. */
export function gnuSection(elf: string, section: string, dir: string): Uint8Array {
  const out = join(dir, `section${section.replace(/\W/g, '_')}.bin`);
  const r = sh('riscv64-unknown-elf-objcopy', ['-O', 'binary', '-j', section, elf, out]);
  if (r.status !== 0) throw new Error(r.stderr);
  return new Uint8Array(readFileSync(out));
}
