/**
 * A worker process of `dlgrade grade --submissions` (forked by batch.ts's gradeFolder, with tsx
 * loaded): grades the students it is sent, one at a time, each in its own sandbox.
 */
import { gradeJob, serve } from './batch.ts';

await serve(gradeJob);
