// A GDB remote serial protocol stub (GDB manual, appendix E "Remote Serial Protocol") over a debugging
// Session, so gdb-multiarch can debug a program on the emulated core: RISC-V 64 target description,
// registers, memory read and write, software breakpoints, watchpoints, single-step, continue, Ctrl-C,
// and each hardware thread of each core as a gdb thread (thread id = core * 4 + hardware thread + 1, the
// core's global number y * meshw + x; on one core, the hardware thread + 1). Malformed or hostile packets get an error reply; nothing a
// client sends can crash the emulator or the process.
import { createServer, type Server, type Socket } from 'node:net';
import { ABI_NAMES } from '../../isa/registers.js';
import { D1_CORE } from '../../emulator/presets.js';
import { littleEndian, type Session, type Stop } from '../session.js';

/** The target description: RISC-V RV64 integer registers and pc (gdb's features/riscv/64bit-cpu.xml). */
function targetXml(): string {
  const regs = ABI_NAMES.map((n, i) => `<reg name="${n}" bitsize="64" type="${i === 1 ? 'code_ptr' : i === 2 ? 'data_ptr' : 'int'}" regnum="${i}"/>`);
  return `<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target version="1.0"><architecture>riscv:rv64</architecture><feature name="org.gnu.gdb.riscv.cpu">${regs.join('')}<reg name="pc" bitsize="64" type="code_ptr" regnum="32"/></feature></target>`;
}

/** A register in the protocol: 8 bytes, little-endian, in hex (a malformed value reads as far as it goes). */
const hex64 = (v: bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return b.toString('hex');
};
const fromHex64 = (s: string): bigint => littleEndian(Buffer.from(s.slice(0, 16), 'hex'));
const checksum = (s: string): string => ([...s].reduce((a, c) => a + c.charCodeAt(0), 0) & 0xff).toString(16).padStart(2, '0');

const MAX_PACKET = 0x4000;

export class GdbStub {
  private buf = '';
  private running = false;
  /** The gdb thread (core * THREADS + hardware thread + 1) that g/p/G/P read and write. */
  private thread = 1;

  /** The hardware thread of a gdb thread id, after making its core the selected one. */
  private hw(tid = this.thread): number {
    const g = Math.floor((tid - 1) / D1_CORE.threads);
    if (this.session.machine && g !== this.session.focus) this.session.select(g);
    return (tid - 1) % D1_CORE.threads;
  }

  private tidOf(core: number, hw: number): number {
    return (this.session.machine ? core : 0) * D1_CORE.threads + hw + 1;
  }

  /** Every live gdb thread: each core's threads that are not free (cores that exited have none). */
  private liveThreads(): number[] {
    const m = this.session.machine;
    if (!m) return this.session.core.threads().filter((t) => t.state !== 'free').map((t) => t.thread + 1);
    const out: number[] = [];
    for (const [g, { part, slot, core }] of [...m.cores].sort(([a], [b]) => a - b)) {
      if (m.halted(part, slot)) continue;
      for (const t of core.threads()) if (t.state !== 'free') out.push(this.tidOf(g, t.thread));
    }
    return out;
  }
  /** Hardware breakpoints and watchpoints gdb inserted, by "type,addr,kind". */
  private readonly points = new Map<string, () => void>();

  constructor(
    private readonly session: Session,
    private readonly socket: Socket,
    private readonly log: (s: string) => void,
  ) {
    session.watchBeforeAccess = true;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => this.receive(d));
  }

  private send(payload: string): void {
    this.socket.write(`$${payload}#${checksum(payload)}`);
  }

  private receive(data: string): void {
    this.buf += data;
    if (this.buf.length > 4 * MAX_PACKET) this.buf = this.buf.slice(-MAX_PACKET); // a flood: keep the tail
    for (;;) {
      if (this.buf.startsWith('\x03')) {
        this.buf = this.buf.slice(1);
        if (this.running) this.session.interrupted = true;
        continue;
      }
      if (this.buf.startsWith('+') || this.buf.startsWith('-')) {
        this.buf = this.buf.slice(1);
        continue;
      }
      const start = this.buf.indexOf('$');
      if (start < 0) {
        this.buf = '';
        return;
      }
      const end = this.buf.indexOf('#', start);
      if (end < 0 || end + 3 > this.buf.length) {
        this.buf = this.buf.slice(start);
        return;
      }
      const payload = this.buf.slice(start + 1, end);
      const sum = this.buf.slice(end + 1, end + 3);
      this.buf = this.buf.slice(end + 3);
      if (sum.toLowerCase() !== checksum(payload)) {
        this.socket.write('-');
        continue;
      }
      this.socket.write('+');
      try {
        this.handle(payload);
      } catch (e) {
        this.log(`gdb stub: packet '${payload.slice(0, 40)}': ${(e as Error).message}`);
        this.send('E01');
      }
    }
  }

  private reg(i: number): bigint {
    const t = this.hw();
    const core = this.session.core;
    return i === 32 ? (t === core.thread ? core.pc : core.threads()[t]!.pc) : core.getReg(i, t);
  }

  /** The core and local address of a memory access: local addresses are the selected core's; a global
   * address (docs/machine.md, "Global addresses") names its core. */
  private memory(addr: bigint, len: number): { core: Session['core']; at: bigint } | undefined {
    if (!(this.session.machine && addr >> 48n === 1n)) this.hw();
    return this.session.locate(addr, len);
  }

  private handle(p: string): void {
    const s = this.session;
    if (this.running) return; // only Ctrl-C while running
    if (p.startsWith('qSupported')) return this.send(`PacketSize=${MAX_PACKET.toString(16)};qXfer:features:read+;swbreak+;hwbreak+;vContSupported+`);
    if (p.startsWith('qXfer:features:read:target.xml:')) {
      const [off, len] = p.split(':')[4]!.split(',').map((x) => parseInt(x, 16));
      const xml = targetXml();
      const part = xml.slice(off!, off! + len!);
      return this.send((off! + len! >= xml.length ? 'l' : 'm') + part);
    }
    if (p === '?') return this.send(`T05thread:${this.thread.toString(16)};`);
    if (p === 'g') return this.send(Array.from({ length: 33 }, (_, i) => hex64(this.reg(i))).join(''));
    if (p.startsWith('G')) {
      const t = this.hw();
      for (let i = 1; i < 32; i++) if (t === s.core.thread) s.core.setReg(i, fromHex64(p.slice(1 + 16 * i, 17 + 16 * i)));
      s.core.pc = fromHex64(p.slice(1 + 16 * 32, 17 + 16 * 32));
      return this.send('OK');
    }
    if (p.startsWith('p')) {
      const i = parseInt(p.slice(1), 16);
      return this.send(i >= 0 && i <= 32 ? hex64(this.reg(i)) : 'E01');
    }
    if (p.startsWith('P')) {
      const [n, v] = p.slice(1).split('=');
      const i = parseInt(n!, 16);
      this.hw();
      if (i === 32) s.core.pc = fromHex64(v!);
      else if (i > 0 && i < 32) s.core.setReg(i, fromHex64(v!));
      else if (i !== 0) return this.send('E01');
      return this.send('OK');
    }
    if (p.startsWith('m')) {
      const [a, l] = p.slice(1).split(',').map((x) => BigInt(`0x${x || '0'}`));
      const at = l! <= BigInt(MAX_PACKET) ? this.memory(a!, Number(l)) : undefined;
      if (!at) return this.send('E14');
      return this.send(Buffer.from(at.core.readMem(at.at, Number(l))).toString('hex'));
    }
    if (p.startsWith('M')) {
      const [head, data = ''] = p.slice(1).split(':');
      const [a, l] = head!.split(',').map((x) => BigInt(`0x${x || '0'}`));
      const bytes = Buffer.from(data, 'hex');
      const at = bytes.length === Number(l) ? this.memory(a!, bytes.length) : undefined;
      if (!at) return this.send('E14');
      at.core.writeMem(at.at, bytes);
      return this.send('OK');
    }
    if (/^[Zz][0-4],/.test(p)) return this.point(p);
    if (p === 's' || p.startsWith('vCont;s')) {
      this.hw();
      return this.stopped(s.stepi(1n));
    }
    if (p === 'c' || p.startsWith('vCont;c')) return void this.resume();
    if (p === 'vCont?') return this.send('vCont;c;C;s;S');
    if (p === 'qfThreadInfo') return this.send(`m${this.liveThreads().map((t) => t.toString(16)).join(',')}`);
    if (p === 'qsThreadInfo') return this.send('l');
    if (p === 'qC') return this.send(`QC${this.thread.toString(16)}`);
    if (p.startsWith('qThreadExtraInfo,') && s.machine) {
      const tid = parseInt(p.slice(17), 16);
      if (!this.liveThreads().includes(tid)) return this.send('E01');
      const g = Math.floor((tid - 1) / D1_CORE.threads);
      const text = `core ${s.machine.name(g)} thread ${(tid - 1) % D1_CORE.threads}`;
      return this.send(Buffer.from(text).toString('hex'));
    }
    if (p.startsWith('H')) {
      const t = parseInt(p.slice(2), 16);
      if (this.liveThreads().includes(t)) this.thread = t;
      return this.send('OK');
    }
    if (p.startsWith('T')) return this.send(this.liveThreads().includes(parseInt(p.slice(1), 16)) ? 'OK' : 'E01');
    if (p === 'qAttached') return this.send('1');
    if (p === 'k') {
      this.socket.end();
      return;
    }
    if (p === 'D') {
      this.send('OK');
      this.socket.end();
      return;
    }
    return this.send(''); // not supported: gdb falls back
  }

  /** Z/z: insert or remove a breakpoint (0 software, 1 hardware) or watchpoint (2 write, 3 read, 4 access). */
  private point(p: string): void {
    const [type, addrText, kindText] = p.slice(1).split(',');
    const addr = BigInt(`0x${addrText}`);
    const len = parseInt(kindText ?? '4', 16);
    const key = `${type},${addrText},${kindText}`;
    if (p[0] === 'z') {
      this.points.get(key)?.();
      this.points.delete(key);
      return this.send('OK');
    }
    if (this.points.has(key)) return this.send('OK');
    const s = this.session;
    if (type === '0' || type === '1') {
      const bp = s.addBreakpoint(addr, 'gdb');
      if (!bp) return this.send('E01');
      this.points.set(key, () => s.deleteBreakpoint(bp));
    } else {
      const kind = type === '2' ? 'watch' : type === '3' ? 'rwatch' : 'awatch';
      const wp = s.addWatchpoint(kind, addr, len, `0x${addrText}`);
      if (!wp) return this.send('E01');
      this.points.set(key, () => s.deleteWatchpoint(wp));
    }
    return this.send('OK');
  }

  private async resume(): Promise<void> {
    this.running = true;
    try {
      this.stopped(await this.session.continueAsync());
    } finally {
      this.running = false;
    }
  }

  /** The stop reply for a stop. */
  private stopped(stop: Stop): void {
    this.thread = this.tidOf(this.session.focus, this.session.core.thread);
    const t = `thread:${this.thread.toString(16)};`;
    switch (stop.kind) {
      case 'exit':
        return this.send(`W${(stop.code & 0xff).toString(16).padStart(2, '0')}`);
      case 'breakpoint':
        return this.send(`T05swbreak:;${t}`);
      case 'watchpoint':
        return this.send(`T05${stop.wp.kind}:${stop.wp.addr.toString(16)};${t}`);
      case 'interrupted':
        return this.send(`T02${t}`);
      case 'fault':
        this.log(`d1: ${stop.message}`);
        return this.send(`T0b${t}`);
      default:
        return this.send(`T05${t}`);
    }
  }
}

/** Listen on host:port (loopback by default) for one gdb connection; resolves when it closes. */
export function serveGdb(session: Session, host: string, port: number, log: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => {
      server.close();
      log(`d1: gdb connected from ${socket.remoteAddress}`);
      new GdbStub(session, socket, log);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    server.on('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      const at = `${host}:${typeof a === 'object' && a ? a.port : port}`;
      log(`d1: waiting for gdb on ${at} (target remote ${at})`);
    });
  });
}
