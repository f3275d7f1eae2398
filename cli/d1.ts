// The `d1` command line: one program, one subcommand per tool. Each subcommand lives in
// cli/commands/<name>.ts and is a thin shell over its module. Nothing here prints a stack trace: an
// unexpected exception becomes one line and exit code 70 (set D1_DEBUG=1 to see the trace).
import { Command, CommanderError } from 'commander';
import { VERSION } from './version.js';

export const EXIT_INTERNAL = 70;

function internalError(e: unknown): never {
  // The reader went away (`d1 ... | head`): nothing more to say, and nothing wrong.
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`d1: internal error: ${msg}\n(this is a bug in d1; please report it with the input that caused it)\n`);
  if (process.env['D1_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(EXIT_INTERNAL);
}

process.on('uncaughtException', internalError);
process.stdout.on('error', internalError);
process.on('unhandledRejection', internalError);

const program = new Command();
program
  .name('d1')
  .description('Assembler, emulator and tools for the Tesla Dojo D1 instruction set')
  .version(VERSION, '-V, --version')
  .option('--max-errors <n>', 'show at most N errors and warnings, count the rest (default 50; D1_MAX_ERRORS)')
  .option('--max-source-bytes <n>', 'read source and program files of at most N bytes (default 64 MiB; D1_MAX_SOURCE_BYTES)')
  .option('--max-expansion <n>', 'let includes, macros and repetitions make N times the default budget (1 M lines, 16 MiB; D1_MAX_EXPANSION)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  // the limits are read where they apply, from the environment: the options set it for this run
  .hook('preAction', (cmd) => {
    const o = cmd.opts<{ maxErrors?: string; maxSourceBytes?: string; maxExpansion?: string }>();
    for (const [value, name, flag] of [[o.maxErrors, 'D1_MAX_ERRORS', '--max-errors'], [o.maxSourceBytes, 'D1_MAX_SOURCE_BYTES', '--max-source-bytes'], [o.maxExpansion, 'D1_MAX_EXPANSION', '--max-expansion']] as const) {
      if (value === undefined) continue;
      if (!/^[0-9]+$/.test(value)) {
        process.stderr.write(`d1: ${flag} takes a whole number, got '${value}'\n`);
        process.exit(2);
      }
      process.env[name] = value;
    }
  });

/** The subcommands, in the order `d1 --help` lists them. Each module is loaded only when needed: `d1 as`
 * need not load the emulator and the debugger (a good part of its start-up time). */
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  as: () => import('./commands/as.js'),
  run: () => import('./commands/run.js'),
  objdump: () => import('./commands/objdump.js'),
  nm: () => import('./commands/nm.js'),
  debug: () => import('./commands/debug.js'),
  info: () => import('./commands/info.js'),
  serve: () => import('./commands/serve.js'),
};

/** The subcommand the arguments name (the first word that is neither an option of d1's own nor its
 * value), when it is one of COMMANDS; otherwise (help, no command, an unknown one) every command is
 * registered, so that help and errors are the same as ever. */
function namedCommand(args: string[]): string | undefined {
  const valued = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]));
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (valued.has(a)) k++;
    else if (!a.startsWith('-')) return Object.hasOwn(COMMANDS, a) ? a : undefined;
  }
  return undefined;
}

const named = namedCommand(process.argv.slice(2));
const modules = await Promise.all((named ? [named] : Object.keys(COMMANDS)).map((name) => COMMANDS[name]!()));
for (const m of modules) m.register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  internalError(e);
}
