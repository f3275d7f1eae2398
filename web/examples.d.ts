// The example programs, a module the web build makes from programs/ (scripts/build-web.ts).
declare module 'd1:examples' {
  export const EXAMPLES: { name: string; machine: string; text: string }[];
  export const LIBRARY: Record<string, string>;
}
