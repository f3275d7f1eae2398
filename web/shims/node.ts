// What the browser bundle gets for the Node built-ins that modules it includes import but that the page
// never calls (files, worker threads, V8 flags): a clear error if one is reached after all.
const absent = (what: string) => () => {
  throw new Error(`${what} is not available in the browser`);
};

export const readFileSync = absent('reading files');
export const writeFileSync = absent('writing files');
export const existsSync = () => false;
export const statSync = absent('reading files');
export const isAscii = absent('reading files');
export const setFlagsFromString = () => {};
export const performance = globalThis.performance;
export const parentPort = null;
export class Worker {
  constructor() {
    absent('worker threads')();
  }
}
export const availableParallelism = () => 1;
export const fileURLToPath = (u: string) => new URL(u).pathname;
export const pathToFileURL = (p: string) => new URL(p, 'file:///');
export const createRequire = absent('require');
export default {};
