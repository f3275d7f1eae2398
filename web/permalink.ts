// Permalinks: the program, the machine and the options in the page's URL (after #), compressed, so that
// a kernel can be shared by a link and opens as it was.

export interface Shared {
  /** The edited file's name and text. */
  name: string;
  text: string;
  machine: string;
  timing: boolean;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const fromBase64Url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function encodeShared(s: Shared): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...s }));
  return `p=${toBase64Url(await through(json, new CompressionStream('deflate-raw')))}`;
}

/** The shared program in a URL's fragment, or undefined when there is none (or it is damaged). */
export async function decodeShared(hash: string): Promise<Shared | undefined> {
  const m = /^#?p=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const o = JSON.parse(new TextDecoder().decode(await through(fromBase64Url(m[1]!), new DecompressionStream('deflate-raw')))) as Partial<Shared> & { v?: number };
    if (o.v !== 1 || typeof o.text !== 'string' || typeof o.name !== 'string') return undefined;
    return { name: o.name, text: o.text, machine: typeof o.machine === 'string' ? o.machine : '1', timing: o.timing !== false };
  } catch {
    return undefined;
  }
}
