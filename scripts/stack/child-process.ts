// Child processes of the local stack (chain, indexer, deploy): started with their output
// prefixed, waited for, and stopped together.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

export type Started = {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr), for error messages. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit, SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
};

export type StartOptions = {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Forward output lines to this function (default: discard, keep only in output()). */
  log?: (line: string) => void;
};

const MAX_KEPT_OUTPUT = 200_000;

// Children lead their own process groups (so a stop reaches what they spawn); if this process
// ends without stopping them, they must not outlive it.
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

/** Starts `command args…` from the repository's node_modules/.bin and PATH. */
export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): Started {
  const bin = path.join(repoRoot, "node_modules", ".bin");
  const env = { ...process.env, ...options.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
  // detached: the process leads its own group, so stop() also ends what it spawned.
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let kept = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    kept = (kept + text).slice(-MAX_KEPT_OUTPUT);
    if (options.log) for (const line of text.split("\n")) if (line.trim()) options.log(`[${name}] ${line}`);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  if (child.pid) live.add(child.pid);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      if (child.pid) live.delete(child.pid);
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", (error) => {
      kept += `\n${error.message}`;
      resolve("spawn-error");
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    child,
    output: () => kept,
    exited,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(signal);
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a process to its end; rejects with its output when it fails. */
export async function runProcess(name: string, command: string, args: string[], options: StartOptions = {}) {
  const started = startProcess(name, command, args, options);
  const code = await started.exited;
  if (code !== 0) throw new Error(`${name} failed (${code}):\n${started.output().slice(-4000)}`);
  return started.output();
}

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Runs `wait`, failing early (with the process's last output) if `process` exits meanwhile. */
export async function untilOrExit<T>(process: Started, wait: () => Promise<T>): Promise<T> {
  let settled = false;
  try {
    return await Promise.race([
      wait(),
      process.exited.then((code) => {
        if (settled) return undefined as never;
        throw new Error(`${process.name} exited (${code}):\n${process.output().slice(-4000)}`);
      }),
    ]);
  } finally {
    settled = true;
  }
}
