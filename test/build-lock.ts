/**
 * One build of the repo's artefacts at a time across jest workers.
 *
 * The docs and packaging tests rebuild `lib/`, `.jsii` and the rosetta tablet when they are stale (a fresh clone that
 * runs `npx projen test` without compiling) and read them (`npm pack`). With several jest workers, one test could
 * read `lib/` while another one's jsii is rewriting it: every build-or-read of those artefacts runs under this lock.
 * The lock is a directory in the temporary directory (atomic `mkdir`), named after the checkout and holding the
 * owner's pid, so a lock left by a killed process is taken over instead of waited on.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const LOCK = path.join(
  os.tmpdir(),
  `gtuc-build-lock-${crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}`,
);
const OWNER = path.join(LOCK, 'pid');
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Whether the process that holds the lock is gone (or never wrote its pid). */
function ownerGone(): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(OWNER, 'utf8'));
  } catch {
    // The owner creates the directory, then writes its pid: give it a moment before calling the lock abandoned.
    try {
      return Date.now() - fs.statSync(LOCK).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `fn` while holding the build lock of this checkout (waits up to `timeoutMs` for another holder). */
export function withBuildLock<T>(fn: () => T, timeoutMs = 600_000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
      if (ownerGone()) {
        fs.rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`Another process has held the build lock ${LOCK} for more than ${timeoutMs} ms.`);
      }
      Atomics.wait(SLEEPER, 0, 0, 200);
    }
  }
  try {
    fs.writeFileSync(OWNER, String(process.pid));
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
