// A short hash of the ISA table, stamped on every generated file so a stale file is recognisable.
import { createHash } from 'node:crypto';
import { ALIASES } from '../aliases.js';
import { CSRS } from '../csr.js';
import { FIELDS } from '../fields.js';
import { FORMATS } from '../formats.js';
import { INSTRUCTIONS } from '../table.js';
import { TIMING } from '../timing.js';

export function tableHash(): string {
  const input = JSON.stringify({ INSTRUCTIONS, ALIASES, CSRS, FIELDS, FORMATS, TIMING });
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}
