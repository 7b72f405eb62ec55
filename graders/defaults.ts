/** Defaults that the command line's usage shows and the modules that use them share (kept apart so that --help loads nothing else). */

/** Submissions graded at once by --submissions: each is a child process plus the grader's own work. */
export const DEFAULT_JOBS = 2;

/** How long a student's grading may make no progress before its worker counts as wedged: far above the slowest honest check. */
export const DEFAULT_PROGRESS_TIMEOUT_MS = 10 * 60_000;
