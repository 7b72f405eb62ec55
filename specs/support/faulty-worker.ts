/**
 * A worker for gradeFolder's `worker` option that fails the grader the ways hostile code can,
 * chosen by the student's name: `crash` (the worker exits), `wedge` (it stops answering: a busy
 * loop, deaf even to SIGTERM, for a minute at most so that a failing spec leaves nothing
 * spinning), `broken` (the grading throws, as when the sandbox cannot start). Every other
 * student is graded by the real handler. Each job is logged as "<pid> <student>" to worker.log
 * in the class folder (a loose file, not a student), so that a spec sees who was graded again
 * and which processes it started.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { gradeJob, serve } from '../../graders/batch.ts';

await serve(async (job, progress) => {
  appendFileSync(path.join(path.dirname(job.dir), 'worker.log'), `${process.pid} ${job.student}\n`);
  if (job.student === 'crash') process.exit(3);
  if (job.student === 'wedge') for (const until = Date.now() + 60_000; Date.now() < until; );
  if (job.student === 'broken') throw new Error('the sandbox could not start: permission model unavailable\nstack …');
  return gradeJob(job, progress);
});
