/**
 * What must not outlive the grader: student processes and the temporary folders that hold
 * transpiled submissions. Each is tracked here with a synchronous disposer, run when the grader
 * exits by any path Node can see: a normal end, an uncaught exception (the 'exit' event), and,
 * once a command line calls {@link cleanUpOnSignals}, SIGINT, SIGTERM and SIGHUP. A SIGKILL of
 * the grader is covered by the operating system instead: student processes are started with a
 * parent-death signal (sandbox/walls.ts), and stale folders of dead graders are swept by the
 * next run (sandbox/prepare.ts).
 */

export interface Disposable {
  /** Releases the resource at once: no awaiting, the process may be about to end. */
  disposeSync(): void;
}

const resources = new Set<Disposable>();
let exitHook = false;

function disposeAll(): void {
  for (const r of [...resources]) {
    resources.delete(r);
    try {
      r.disposeSync();
    } catch {
      // keep going: the other resources must still be released
    }
  }
}

/** Tracks `r` until the returned function is called (when the owner released it itself). */
export function track(r: Disposable): () => void {
  resources.add(r);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', disposeAll);
  }
  return () => {
    resources.delete(r);
  };
}

/** How many resources are held now (for specs: nothing may be left after a run). */
export function tracked(): number {
  return resources.size;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let signalsHandled = false;

/**
 * On SIGINT, SIGTERM or SIGHUP: release everything, then end the way the signal would have
 * (the handler is removed and the signal raised again, so the exit status says which signal).
 */
export function cleanUpOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of SIGNALS) {
    const handler = () => {
      disposeAll();
      for (const s of SIGNALS) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
