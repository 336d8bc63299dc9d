import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The items service's directory, and its compiled server. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const mainJs = path.join(root, 'dist', 'main.js');

/** Fails the test file early when the compiled server is missing. */
export function assertBuilt(): void {
  assert.ok(existsSync(mainJs), `${mainJs} is missing: run "npm run build" (npm test does)`);
}

/** A server in a child process of its own, listening. */
export interface ServerProcess {
  child: ChildProcess;
  /** The port it listens on (it was started with `PORT=0`). */
  port: number;
  /** Its JSON log lines so far (stdout). */
  logs: Record<string, unknown>[];
  /** Everything it printed so far: stdout, then stderr. */
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `command` (the compiled server, or a wrapper that execs it) in the service's directory with only `PATH`,
 * `HOST=127.0.0.1`, `PORT=0`, `LOG_LEVEL=info` and `env`, and resolves once it logs `listening`. Rejects when it
 * exits first or does not listen within 30 s.
 */
export async function startServerProcess(command: string, args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s. stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'listening') {
            clearTimeout(timer);
            resolve(entry.port as number);
          }
        } catch {
          // not JSON: ignore
        }
      }
    });
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening. stderr: ${stderr}\nstdout: ${stdout}`));
    });
  });
  return { child, port, logs, output: () => stdout + '\n' + stderr, exit };
}
