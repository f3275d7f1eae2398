// Reading a source or program file (docs/dasm.md "Files"): only a regular file, and only up to a size,
// so that `.include "/dev/zero"`, a FIFO or a directory, or a file of gigabytes, is a clear error and
// never a hang or the machine's memory. The limit is 64 MiB, or D1_MAX_SOURCE_BYTES.
import { readFileSync, statSync } from 'node:fs';

/** The most bytes a source or program file may have. */
export function sourceLimit(): number {
  const n = Number(process.env.D1_MAX_SOURCE_BYTES ?? 64 * 2 ** 20);
  return Number.isSafeInteger(n) && n > 0 ? n : 64 * 2 ** 20;
}

/** Why the file at `path` cannot be read as a source, or undefined when it can. */
export function sourceProblem(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
  }
  if (st.isDirectory()) return 'it is a directory';
  if (!st.isFile()) return 'it is not a regular file (a device, FIFO or socket)';
  const limit = sourceLimit();
  if (st.size > limit) return `it has ${st.size} bytes, more than the ${limit} a source may have (--max-source-bytes or D1_MAX_SOURCE_BYTES raises the limit)`;
  return undefined;
}

/** The bytes of a regular file of at most sourceLimit() bytes, or the reason it cannot be read. */
export function readSource(path: string): Uint8Array | { problem: string } {
  const problem = sourceProblem(path);
  if (problem !== undefined) return { problem };
  try {
    const bytes = readFileSync(path);
    // (it may have grown since it was looked at)
    return bytes.length > sourceLimit() ? { problem: `it has more than the ${sourceLimit()} bytes a source may have` } : bytes;
  } catch (e) {
    return { problem: (e as Error).message };
  }
}
