/**
 * `npm test`: starts a real PostgreSQL (embedded, unless DATABASE_URL is set),
 * runs every test/*.test.ts with node's test runner, stops PostgreSQL, and exits
 * non-zero when a test fails, setup fails, or no test ran at all.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedPg } from '../src/dev/embedded-postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const files = readdirSync(path.join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
  .map((f) => path.join('test', f));

function fail(msg: string): never {
  process.stderr.write(`run-tests: ${msg}\n`);
  process.exit(1);
}

if (files.length === 0) fail('no test files found');

let pg: EmbeddedPg | undefined;
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
if (!env.DATABASE_URL) {
  const t0 = Date.now();
  try {
    pg = await startEmbeddedPostgres();
  } catch (err) {
    fail(`could not start embedded PostgreSQL: ${(err as Error).stack ?? err}`);
  }
  env.DATABASE_URL = pg.url;
  process.stdout.write(`run-tests: embedded PostgreSQL on port ${pg.port} (${Date.now() - t0} ms)\n`);
} else {
  process.stdout.write('run-tests: using DATABASE_URL\n');
}

let tail = '';
const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-20000);
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    process.stderr.write(`run-tests: cannot start node --test: ${err.message}\n`);
    resolve(1);
  });
  child.on('close', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
});

await pg?.destroy().catch((err) => process.stderr.write(`run-tests: stopping PostgreSQL failed: ${err}\n`));

const num = (label: string) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(tail)?.[1] ?? NaN);
const tests = num('tests');
const passed = num('pass');
const failed = num('fail');
if (!Number.isFinite(tests) || tests === 0) fail(`no tests ran (runner exit code ${code})`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
