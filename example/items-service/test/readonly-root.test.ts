import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, newItem, type TestDb } from './helpers.js';
import { assertBuilt, mainJs, root, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The compiled server (dist/main.js) run the way the container runs it: as user
 * 1000:1000 on a read-only root filesystem with a fresh tmpfs on /tmp only. A
 * private Linux mount namespace (util-linux `unshare`) remounts `/` read-only and
 * mounts the tmpfs; `setpriv` drops to 1000:1000. PostgreSQL stays outside the
 * namespace and is reached over 127.0.0.1.
 */
const isRoot = process.getuid?.() === 0;

// Runs inside the namespace; prints one marker line per probe to stderr, then execs node.
const script = [
  'set -e',
  'mount --bind / /',
  'mount -o remount,bind,ro /',
  // A checkout under /tmp (CI clones there) would vanish under the tmpfs: serve it read-only from /mnt instead.
  'case "$APP_DIR" in /tmp/*) mount --bind "$APP_DIR" /mnt; mount -o remount,bind,ro /mnt; MAIN_JS="/mnt${MAIN_JS#"$APP_DIR"}"; APP_DIR=/mnt; export APP_DIR MAIN_JS;; esac',
  'cd "$APP_DIR"',
  'mount -t tmpfs -o nosuid,nodev,size=64m,mode=1777 tmpfs /tmp',
  // Probed still as (namespace) root, so permissions cannot be what refuses the write: only the read-only mount.
  'for p in /ro-probe "$APP_DIR/ro-probe" "$APP_DIR/dist/ro-probe"; do',
  '  if err=$( (echo x > "$p") 2>&1 ); then echo "ro-probe: WROTE $p" >&2; rm -f "$p"; else echo "ro-probe: refused $p: $err" >&2; fi',
  'done',
  `exec ${isRoot ? 'setpriv --reuid=1000 --regid=1000 --clear-groups ' : ''}sh -c '` +
    'set +e; ' +
    'echo "ro-probe: id=$(id -u):$(id -g)" >&2; ' +
    'if (echo x > /tmp/ro-probe) 2>/dev/null; then echo "ro-probe: tmp writable" >&2; else echo "ro-probe: tmp NOT writable" >&2; fi; ' +
    `exec "$NODE" "$MAIN_JS"'`,
].join('\n');
// Not root: an unprivileged user namespace maps the caller to root inside it (mounts allowed, no uid change).
const unshareArgs = isRoot ? ['--mount', '--propagation', 'private'] : ['--user', '--map-root-user', '--mount', '--propagation', 'private'];

let testDb: TestDb;
before(async () => {
  assertBuilt();
  const which = spawnSync('sh', ['-c', 'command -v unshare && command -v setpriv'], { encoding: 'utf8' });
  assert.equal(which.status, 0, `unshare and setpriv (util-linux) are required for the read-only root test; found: ${which.stdout}`);
  const probe = spawnSync('unshare', [...unshareArgs, 'sh', '-c', 'mount -t tmpfs tmpfs /tmp'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, `cannot create a mount namespace here (uid ${process.getuid?.()}): ${probe.stderr || probe.error}. This test needs root or unprivileged user namespaces; it is never skipped.`);
  testDb = await createTestDatabase('roroot');
});
after(async () => {
  await testDb?.drop();
});

/** The compiled server inside the namespace. */
function startReadOnly(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess('unshare', [...unshareArgs, 'sh', '-c', script], { APP_DIR: root, NODE: process.execPath, MAIN_JS: mainJs, ...env });
}

async function req(port: number, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: r.status, body: parsed };
}

describe('read-only root filesystem', () => {
  it(`dist/main.js as ${isRoot ? '1000:1000' : 'the caller'} on a read-only / with tmpfs /tmp: serves, writes nothing outside /tmp, exits 0 on SIGTERM`, async () => {
    const s = await startReadOnly({ DATABASE_URL: testDb.url, MIGRATE_ON_START: 'true' });
    try {
      const out = s.output();
      // The namespace really is what the container gets.
      if (isRoot) assert.match(out, /ro-probe: id=1000:1000/, out);
      assert.doesNotMatch(out, /ro-probe: WROTE/, `a write outside /tmp succeeded:\n${out}`);
      // A checkout under /tmp is served from /mnt inside the namespace (the tmpfs covers /tmp).
      const appDir = root.startsWith('/tmp/') ? '/mnt' : root;
      for (const p of ['/ro-probe', `${appDir}/ro-probe`, `${appDir}/dist/ro-probe`]) {
        const line = out.split('\n').find((l) => l.startsWith(`ro-probe: refused ${p}:`));
        assert.ok(line, `no refused probe for ${p}:\n${out}`);
        assert.match(line, /read-only file system/i, `${p} must be refused by the read-only mount, not by permissions: ${line}`);
      }
      assert.match(out, /ro-probe: tmp writable/, out);

      const health = await req(s.port, 'GET', '/healthz');
      assert.equal(health.status, 200, JSON.stringify(health.body));
      const ready = await req(s.port, 'GET', '/readyz');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      const item = newItem();
      const created = await req(s.port, 'POST', '/items', item);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const got = await req(s.port, 'GET', `/items/${created.body.id}`);
      assert.equal(got.status, 200, JSON.stringify(got.body));
      assert.equal(got.body.sku, item.sku);

      s.child.kill('SIGTERM');
      const { code, signal } = await s.exit;
      const all = s.output();
      assert.equal(signal, null, all);
      assert.equal(code, 0, all);
      assert.ok(s.logs.some((l) => l.msg === 'shutdown: complete'), all);
      const serverOutput = all
        .split('\n')
        .filter((l) => !l.startsWith('ro-probe: '))
        .join('\n');
      assert.doesNotMatch(serverOutput, /EROFS|EACCES|read-only file system|permission denied/i, all);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });
});
