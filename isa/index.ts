// Public surface of isa/: the table and what is derived from it.
export * from './types.js';
export * from './fields.js';
export * from './formats.js';
export * from './csr.js';
export * from './registers.js';
export * from './aliases.js';
export * from './table.js';
export * from './codec.js';
export * from './print.js';
export * from './timing.js';
export { syntaxFields, checkTable, checkFormats } from './check.js';
