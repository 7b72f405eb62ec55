/**
 * Grading a folder of submissions (one sub-folder per student, named by the student's id):
 * each submission gets its own transpiled copy and its own sandboxed child process, exactly as
 * `dlgrade grade --submission` does, `jobs` of them at a time. A submission the grader could not
 * run (the sandbox did not start) is recorded as an error, never as a zero.
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { gradeSubmission, type GradeReport, type ProgressEvent } from './engine/grade.ts';
import type { FamilyGrader } from './engine/types.ts';
import { Sandbox } from './sandbox/host.ts';
import { prepareSubmission } from './sandbox/prepare.ts';

export interface GradeDirectoryOptions {
  families: FamilyGrader[];
  courseSeed: number;
  /** the student's id for per-student hidden seeds (with `secret`) */
  studentId?: string;
  secret?: string;
  only?: string[];
  replay?: string;
  /** how the report names the submission */
  label: string;
  onProgress?: (e: ProgressEvent) => void;
}

/** One submission folder, graded in its own sandbox. */
export async function gradeDirectory(dir: string, o: GradeDirectoryOptions): Promise<GradeReport> {
  const prepared = prepareSubmission(dir, o.families.map((f) => f.module));
  const sandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
  try {
    return await gradeSubmission({
      submission: o.label,
      families: o.families,
      modules: prepared.modules,
      problems: prepared.problems,
      sandbox,
      seeds: { courseSeed: o.courseSeed, studentId: o.studentId, secret: o.secret },
      only: o.only,
      replay: o.replay,
      onProgress: o.onProgress,
    });
  } finally {
    await sandbox.close();
    prepared.cleanup();
  }
}

export interface StudentResult {
  student: string;
  report?: GradeReport;
  /** the report was kept from an earlier run (--resume), not graded again */
  kept?: boolean;
  /** why the grader could not grade this submission (its fault, not the student's) */
  error?: string;
}

/**
 * The student folders of `root`, sorted. Hidden folders, loose files, symbolic links (a link to
 * another student's folder would grade it twice) and the `exclude` folder (the results of an
 * earlier run written inside the class folder) are not submissions.
 */
export function studentFolders(root: string, exclude?: string): string[] {
  const skip = exclude === undefined ? undefined : realpathOrSelf(exclude);
  return readdirSync(root)
    .filter((n) => !n.startsWith('.') && n !== 'node_modules' && lstatSync(path.join(root, n)).isDirectory())
    .filter((n) => realpathOrSelf(path.join(root, n)) !== skip)
    .sort();
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export interface GradeFolderOptions extends Omit<GradeDirectoryOptions, 'label' | 'studentId' | 'onProgress' | 'replay'> {
  /** submissions graded at the same time, each in its own child process */
  jobs: number;
  /** a folder inside `root` that is not a student (where the results go) */
  exclude?: string;
  /** a report kept from an earlier, interrupted run: the student is not graded again */
  previous?: (student: string) => GradeReport | undefined;
  onStudent?: (result: StudentResult, done: number, total: number) => void;
  /** grades one folder (injectable so that a spec can make the grader fail) */
  grade?: typeof gradeDirectory;
}

export async function gradeFolder(root: string, o: GradeFolderOptions): Promise<StudentResult[]> {
  const students = studentFolders(root, o.exclude);
  const results: StudentResult[] = new Array(students.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < students.length) {
      const i = next++;
      const student = students[i];
      try {
        const kept = o.previous?.(student);
        const report = kept ?? (await (o.grade ?? gradeDirectory)(path.join(root, student), { ...o, label: student, studentId: student }));
        results[i] = { student, report, ...(kept ? { kept: true } : {}) };
      } catch (e) {
        results[i] = { student, error: (e as Error).message.split('\n')[0] };
      }
      o.onStudent?.(results[i], ++done, students.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, students.length)) }, worker));
  return results;
}
