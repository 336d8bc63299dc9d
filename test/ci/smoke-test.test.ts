import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', '..', 'example', 'ci', 'smoke-test.sh');
const SOURCE = fs.readFileSync(SCRIPT, 'utf8');

function hasTool(tool: string): boolean {
  try {
    execFileSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('example/ci/smoke-test.sh (static)', () => {
  test('is executable, has a bash shebang and strict mode', () => {
    expect(() => fs.accessSync(SCRIPT, fs.constants.X_OK)).not.toThrow();
    // owner, group and other execute bits (…755)
    expect(fs.statSync(SCRIPT).mode.toString(8)).toMatch(/[1357][1357][1357]$/);
    expect(SOURCE.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(SOURCE).toMatch(/^set -euo pipefail$/m);
  });

  test('is recorded as executable in git', () => {
    const entry = execFileSync('git', ['ls-files', '-s', 'example/ci/smoke-test.sh'], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    // not yet added in a fresh working copy: the file mode check above still applies
    if (entry.trim() !== '') {
      expect(entry.startsWith('100755 ')).toBe(true);
    }
  });

  test('passes bash -n', () => {
    expect(() => execFileSync('bash', ['-n', SCRIPT], { stdio: 'pipe' })).not.toThrow();
  });

  test('shellcheck-like sanity', () => {
    // signs writes with SigV4 for execute-api, reads outputs with jq, never echoes secrets on the command line
    expect(SOURCE).toContain('--aws-sigv4 "aws:amz:${region}:execute-api"');
    expect(SOURCE).toContain('x-amz-security-token');
    expect(SOURCE).not.toMatch(/--user\s+"\$AWS_ACCESS_KEY_ID/);
    expect(SOURCE).toContain('jq ');
    expect(SOURCE).not.toMatch(/`[^`\n]*\$\(/); // no legacy backticks around substitutions
    expect(SOURCE).not.toMatch(/\beval "\$[A-Za-z_]+"/); // only the documented export-credentials eval
    // tests use [[ ]] (no word splitting), never the POSIX [ ]
    expect(SOURCE).not.toMatch(/(^|[^[])\[ [^\]]*\$[A-Za-z_]/m);
  });
});

interface Item {
  readonly [key: string]: unknown;
}

interface MockOptions {
  readonly notReadyCount?: number;
  readonly corruptReads?: boolean;
  readonly allowAnonymousWrites?: boolean;
}

interface Mock {
  readonly baseUrl: string;
  readonly requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  readonly items: Map<string, Item>;
  close(): Promise<void>;
}

/** A tiny stand-in for API Gateway + the items service: IAM-protected writes, public reads. */
async function startMock(options: MockOptions = {}): Promise<Mock> {
  const requests: Mock['requests'] = [];
  const items = new Map<string, Item>();
  let notReady = options.notReadyCount ?? 0;
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const url = req.url ?? '';
      const signed =
        String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=AKIDSMOKETEST/') &&
        String(req.headers.authorization).includes('/us-east-2/execute-api/aws4_request') &&
        req.headers['x-amz-security-token'] === 'session-token-value';
      const isWrite = req.method !== 'GET';
      if (isWrite && !signed && !options.allowAnonymousWrites) {
        return send(403, { message: 'Missing Authentication Token' });
      }
      if (req.method === 'GET' && url === '/prod/readyz') {
        if (notReady > 0) {
          notReady--;
          return send(503, { status: 'starting' });
        }
        return send(200, { status: 'ok' });
      }
      if (req.method === 'POST' && url === '/prod/items') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const id = String(nextId++);
        const item = { id, ...body, createdAt: new Date().toISOString() };
        items.set(id, item);
        return send(201, item, { location: `/prod/items/${id}` });
      }
      const m = /^\/prod\/items\/([^/]+)$/.exec(url);
      if (m && req.method === 'GET') {
        const item = items.get(m[1]);
        if (!item) return send(404, { message: 'not found' });
        return send(200, options.corruptReads ? { ...item, name: 'something else' } : item);
      }
      if (m && req.method === 'DELETE') {
        items.delete(m[1]);
        return send(204);
      }
      return send(404, { message: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/prod/`,
    requests,
    items,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const canRun = hasTool('curl') && hasTool('jq');
const describeIfTools = canRun ? describe : describe.skip;

describeIfTools('example/ci/smoke-test.sh against a mock API', () => {
  let dir: string;
  const baseEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDSMOKETEST',
    AWS_SECRET_ACCESS_KEY: 'secret-value',
    AWS_SESSION_TOKEN: 'session-token-value',
    SMOKE_READY_DELAY_SECONDS: '0',
    SMOKE_READY_ATTEMPTS: '5',
    SMOKE_CURL_MAX_TIME: '5',
    GITHUB_RUN_ID: '4242',
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeOutputs(baseUrl: string, modes = ['awsvpc', 'bridge']): string {
    const outputs: Record<string, Record<string, string>> = {
      'items-network': { TransitGatewayId: 'tgw-123' },
      'items-database': { DbEndpoint: 'db.example', DbSecretArn: 'arn:aws:secretsmanager:us-east-2:1:secret:x' },
    };
    for (const mode of modes) {
      outputs[`items-service-${mode}`] = {
        ApiUrl: baseUrl,
        ClusterName: `items-service-${mode}-Cluster`,
        ServiceName: `items-${mode}`,
        NlbDnsName: 'nlb.internal',
      };
    }
    const file = path.join(dir, 'cdk-outputs.json');
    fs.writeFileSync(file, JSON.stringify(outputs));
    return file;
  }

  test('passes: readiness retries, unsigned write rejected, signed create, read back, cleanup', async () => {
    const mock = await startMock({ notReadyCount: 2 });
    try {
      const summary = path.join(dir, 'summary.md');
      const result = await runScript([writeOutputs(mock.baseUrl)], { ...baseEnv(), GITHUB_STEP_SUMMARY: summary });
      expect(result.stderr).toContain('all 2 service stack(s) passed: items-service-awsvpc items-service-bridge');
      expect(result.code).toBe(0);

      const posts = mock.requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(4); // one unsigned + one signed per stack
      const signedPosts = posts.filter((r) => r.headers.authorization);
      expect(signedPosts).toHaveLength(2);
      expect(signedPosts[0].headers['content-type']).toBe('application/json');
      expect(mock.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
      expect(mock.items.size).toBe(0);
      expect(mock.requests.filter((r) => r.url === '/prod/readyz').length).toBe(4); // 2 retries + 2 stacks

      const summaryText = fs.readFileSync(summary, 'utf8');
      expect(summaryText).toContain('| `items-service-awsvpc` |');
      expect(summaryText).toMatch(/SMOKE-4242-1-items-service-bridge-\d+-\d+/);
    } finally {
      await mock.close();
    }
  });

  test('tests only the named stack and keeps the item when SMOKE_CLEANUP=false', async () => {
    const mock = await startMock();
    try {
      const file = writeOutputs(mock.baseUrl.replace(/\/$/, '')); // ApiUrl without trailing slash is tolerated
      const result = await runScript([file, 'items-service-bridge'], { ...baseEnv(), SMOKE_CLEANUP: 'false' });
      expect(result.code).toBe(0);
      expect(mock.items.size).toBe(1);
      const [item] = [...mock.items.values()];
      expect(item).toMatchObject({ name: 'Smoke test item', priceCents: 1234, currency: 'USD', stock: 7 });
      expect(String(item.sku)).toMatch(/^SMOKE-4242-1-items-service-bridge-/);
    } finally {
      await mock.close();
    }
  });

  test('fails when the API never becomes ready', async () => {
    const mock = await startMock({ notReadyCount: 100 });
    try {
      const result = await runScript([writeOutputs(mock.baseUrl, ['awsvpc'])], baseEnv());
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('FAILED: items-service-awsvpc: GET /readyz returned 503 after 5 attempts');
    } finally {
      await mock.close();
    }
  });

  test('fails when writes are not IAM protected', async () => {
    const mock = await startMock({ allowAnonymousWrites: true });
    try {
      const result = await runScript([writeOutputs(mock.baseUrl, ['awsvpc'])], baseEnv());
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('unsigned POST /items returned 201, expected 403');
    } finally {
      await mock.close();
    }
  });

  test('fails when the item read back differs', async () => {
    const mock = await startMock({ corruptReads: true });
    try {
      const result = await runScript([writeOutputs(mock.baseUrl, ['awsvpc'])], baseEnv());
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/FAILED: items-service-awsvpc: GET \/items\/1 returned .*something else/);
    } finally {
      await mock.close();
    }
  });

  test('fails clearly on a missing outputs file or missing service stacks', async () => {
    const missing = await runScript([path.join(dir, 'nope.json')], baseEnv());
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('outputs file not found');

    const file = path.join(dir, 'only-network.json');
    fs.writeFileSync(file, JSON.stringify({ 'items-network': { Foo: 'bar' } }));
    const none = await runScript([file], baseEnv());
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('no stack matching /^items-service-/ with an ApiUrl output');
  });
});
