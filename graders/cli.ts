/**
 * dlgrade — the command line (npm run grade = dlgrade grade).
 *
 *   dlgrade grade [--submission DIR] [--only ID,...] [--seed N] [--replay PATH] [--out DIR]
 *                 [--format gradescope|prairielearn|junit] [--student ID] [--public-only]
 *                 [--verbose] [--no-color]
 *   dlgrade grade --submissions DIR --out DIR [--jobs N] [--resume] [--progress-timeout MIN]
 *                 [--only …] [--seed N] [--format …]
 *   dlgrade watch [--submission DIR] [--only ID,...] [--seed N]
  dlgrade list  [--only ID,...]
 *   dlgrade derivative EXPR [--wrt VAR] [--claim EXPR]
 *   dlgrade export --out DIR [--gradescope [--zip FILE] | --prairielearn [--image NAME]]
 *
 * Exit status: 0 full marks, 1 points lost, 2 the command could not run (bad arguments, or the
 * sandbox could not start: never the student's fault). With --submissions: 0 when every
 * submission was graded (whatever the scores), 2 when the grader failed on any: the sandbox
 * could not start, or the worker grading that student crashed or made no progress (batch.ts).
 * Such a student's folder of results holds grader-error.json instead of a report, so that
 * --resume keeps the error rather than run the student into the same failure again.
 *
 * Grading commands release student processes and temp folders on SIGINT, SIGTERM and SIGHUP
 * (sandbox/cleanup.ts), then end by that signal.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_JOBS, DEFAULT_PROGRESS_TIMEOUT_MS } from './defaults.ts';
import { CLAIM_TOLERANCE } from './derivation.ts';
import { DEFAULT_COURSE_SEED } from './engine/seed.ts';
import type { GradeFolderOptions } from './batch.ts';

export { PACKAGE_ROOT } from './root.ts';

/** The longest --progress-timeout (a timer of more than 24.8 days would fire at once). */
const DAY_MS = 24 * 60 * 60_000;

/** Each command's synopsis and what it does: `dlgrade CMD --help` prints its own, `dlgrade --help` all of them. */
const HELP: Record<string, string> = {
  grade: `  dlgrade grade [--submission DIR] [--only ID,...] [--seed N] [--replay PATH] [--out DIR]
                [--format gradescope|prairielearn|junit] [--student ID] [--public-only]
                [--strict-types] [--verbose] [--no-color]
  dlgrade grade --submissions DIR --out DIR [--jobs N] [--resume] [--progress-timeout MIN]
                [--only ID,...] [--seed N] [--format F] [--strict-types]

grade   grades DIR (default: exercises/) and prints a report; --out DIR also writes
        DIR/report.json (every detail, for instructors) and, by --format: results.json for
        Gradescope (default) or PrairieLearn, or junit.xml
--submissions DIR  grades every sub-folder of DIR (one per student, named by the student's
        id) in its own sandbox, --jobs at a time (default ${DEFAULT_JOBS}); writes OUT/gradebook.csv,
        OUT/check-stats.csv (pass rate and most common mistake per check) and
        OUT/students/<student>/; --resume keeps the reports an interrupted run already wrote,
        and its grader errors (delete OUT/students/<student>/ to grade that student again);
        a student whose grading makes no progress for --progress-timeout minutes (default
        ${DEFAULT_PROGRESS_TIMEOUT_MS / 60_000}) is a grader error
--only  check ids, exercise names, catalogue ids (A1), family letters (A) or module names
--seed  the course seed (default ${DEFAULT_COURSE_SEED}); with --replay PATH and one check in
        --only, reruns exactly the failing case a report printed
--student ID  with DLGRADE_SECRET set, hidden checks use per-student seeds
--strict-types  a module with type errors (the submission is type-checked against the
        exercises' signatures; the errors head every report) is not gradable`,
  watch: `  dlgrade watch [--submission DIR] [--only ID,...] [--seed N]

watch   grades DIR (default: exercises/) with the public checks, then again on every save:
        only the families whose files changed, printing the checks that now pass or fail`,
  list: `  dlgrade list [--only ID,...]

list    lists the exercises and checks`,
  derivative: `  dlgrade derivative EXPR [--wrt VAR] [--claim EXPR]   (options before or after EXPR)
  dlgrade derivative [--wrt VAR] [--claim=EXPR] -- EXPR  (an EXPR that starts with -;
                     a claim that does: --claim="-2 * x")

derivative  prints mathjs's symbolic derivative of EXPR and compares it with float64 central
        differences at 7 points where EXPR and its derivative are real (sqrt(x) at x > 0);
        with --claim, checks your hand-derived derivative too (exit 0 if it agrees to
        ${CLAIM_TOLERANCE} everywhere, 1 if not; a point where your claim is undefined disagrees)`,
  export: `  dlgrade export --out DIR [--gradescope [--zip FILE] | --prairielearn [--image NAME]]
  dlgrade export --gradescope --zip FILE

export  writes the student package to DIR: stubs, public checks, fixtures, a README; no
        reference, hidden checks, mutants or variants; its npm test grades its exercises/;
        with --gradescope, the instructor's Gradescope autograder instead (setup.sh,
        run_autograder, reference and hidden checks), and with --zip FILE the zip to upload
        (scripts kept executable); with --prairielearn, the files of a
        PrairieLearn course (the grader in serverFilesCourse/dlgrade, an externally graded
        question, the grader image's Dockerfile; --image names the image info.json pulls)`,
};
const COMMANDS = Object.keys(HELP);
const synopsis = (c: string) => HELP[c].split('\n\n')[0];
const details = (c: string) => HELP[c].split('\n\n').slice(1).join('\n\n');
const USAGE = `usage:\n${COMMANDS.map(synopsis).join('\n')}\n\n${COMMANDS.map(details).join('\n')}`;

/** A command given wrong arguments: reported with the usage, exit status 2. */
export class UsageError extends Error {}

export const FORMATS = ['gradescope', 'prairielearn', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  /** columns reports wrap at; undefined: no wrapping */
  width?: number;
}

/**
 * Whether to colour what goes to `stream`: Node's own terminal check (tty's hasColors, which
 * honours NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb and FORCE_COLOR) on a terminal; off elsewhere
 * (a file, a pipe, CI logs) unless FORCE_COLOR asks for it (0 or false: off everywhere).
 */
export function wantsColor(stream: { isTTY?: boolean; hasColors?: (env?: NodeJS.ProcessEnv) => boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (stream.isTTY && stream.hasColors) return stream.hasColors(env);
  return force !== undefined;
}

export const defaultIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  color: wantsColor(process.stdout),
  // the terminal's width; 80 when it is unknown (a pipe, a file, a CI log)
  width: (process.stdout.isTTY && process.stdout.columns) || 80,
};

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      submission: { type: 'string' },
      only: { type: 'string', multiple: true },
      seed: { type: 'string' },
      replay: { type: 'string' },
      out: { type: 'string' },
      submissions: { type: 'string' },
      jobs: { type: 'string' },
      resume: { type: 'boolean' },
      'progress-timeout': { type: 'string' },
      gradescope: { type: 'boolean' },
      prairielearn: { type: 'boolean' },
      image: { type: 'string' },
      zip: { type: 'string' },
      format: { type: 'string' },
      student: { type: 'string' },
      'public-only': { type: 'boolean' },
      'strict-types': { type: 'boolean' },
      wrt: { type: 'string' },
      claim: { type: 'string' },
      verbose: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const only = values.only?.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const seed = values.seed === undefined ? DEFAULT_COURSE_SEED : Number(values.seed);
  if (!/^-?\d+$/.test(values.seed ?? '0') || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number below 2^53 in size; got '${values.seed}'`);
  if (values.replay !== undefined && !/^\d+(:\d+)*$/.test(values.replay)) throw new UsageError(`--replay takes the path a report printed after --replay (numbers separated by colons, such as 4:11:3); got '${values.replay}'`);
  const jobs = values.jobs === undefined ? DEFAULT_JOBS : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be an integer ≥ 1; got '${values.jobs}'`);
  const format = (values.format ?? 'gradescope') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
  const progressTimeoutMs = values['progress-timeout'] === undefined ? undefined : 60_000 * Number(values['progress-timeout']);
  if (progressTimeoutMs !== undefined && !(progressTimeoutMs > 0 && progressTimeoutMs <= DAY_MS)) {
    throw new UsageError(`--progress-timeout must be a number of minutes, more than 0 and at most a day; got '${values['progress-timeout']}'`);
  }
  return { command: positionals[0], positionals, values, only, seed, jobs, format, progressTimeoutMs };
}

export type Args = ReturnType<typeof parse>;

/** What a spec may change in how --submissions grades: the worker module (to inject faults). */
export type BatchSeams = Pick<GradeFolderOptions, 'worker'>;

export async function main(argv: string[], io: Io = defaultIo, batch: BatchSeams = {}): Promise<number> {
  try {
    const args = parse(argv);
    if (args.values.help && args.command && HELP[args.command]) {
      io.out(`usage:\n${HELP[args.command]}`);
      return 0;
    }
    if (args.values.help || !args.command || args.command === 'help') {
      io.out(USAGE);
      return args.command || args.values.help ? 0 : 2;
    }
    if (!COMMANDS.includes(args.command)) throw new UsageError(`unknown command '${args.command}' (commands: ${COMMANDS.join(', ')})`);
    // the commands load the grader (checks, sandbox, reports) only when one runs: --help stays instant
    const { grade, watch, list, exportCommand, derivativeCommand } = await import('./commands.ts');
    if (args.command === 'grade' || args.command === 'watch') {
      const { cleanUpOnSignals } = await import('./sandbox/cleanup.ts');
      cleanUpOnSignals();
      return args.command === 'grade' ? await grade(args, io, batch) : await watch(args, io);
    }
    if (args.command === 'list') return await list(args, io);
    if (args.command === 'export') return await exportCommand(args, io);
    if (args.positionals.length > 2) throw new UsageError(`derivative takes one expression; got ${args.positionals.length - 1}: ${args.positionals.slice(1).map((p) => `'${p}'`).join(', ')} (quote the expression)`);
    return await derivativeCommand(args, io, args.positionals[1]);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const command = COMMANDS.includes(argv[0]) ? `${argv[0]} ` : '';
      // an expression that starts with a minus reads as an option: say how to pass it
      const dash = argv[0] === 'derivative' && (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
      const message = dash ? 'an expression that starts with - reads as an option: put it last, after --, as in dlgrade derivative --claim="-2 * x" -- "-x^2"' : (e as Error).message.replace(/\s*\n\s*/g, ' ');
      io.err(`dlgrade: ${message}\n(dlgrade ${command}--help shows the usage)`);
      return 2;
    }
    io.err(`dlgrade: grading could not run: ${(e as Error).stack ?? e}`);
    return 2;
  }
}
