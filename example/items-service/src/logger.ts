import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths whose values never reach the logs. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'DB_PASSWORD',
  '*.DB_PASSWORD',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * JSON logs on stdout. Writes are asynchronous and buffered: lines are written once
 * LOG_BUFFER_BYTES (default 4096) have accumulated or at the latest every LOG_FLUSH_MS
 * (default 500 ms), so a busy server makes one write syscall per ~20 lines instead of one
 * per request (the profile showed the per-line write at ~12 % of the CPU per request);
 * flushLogger() runs before the process exits. LOG_BUFFER_BYTES=0 writes every line at once.
 *
 * The destination keeps lines as Buffers (sonic-boom's buffer mode). In its text mode each
 * line is appended to one growing string whose byte length is measured again on every write,
 * which flattens (copies) up to 16 KB per line whenever a write is still in flight: under load
 * that cost more CPU than the requests themselves (measured: ~40 % of a GET /items/:id).
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  if (!destination) {
    const minLength = Number(process.env.LOG_BUFFER_BYTES ?? 4096);
    const dest = bufferDestination(1, process.env.LOG_SYNC === 'true', Number.isInteger(minLength) && minLength >= 0 ? Math.min(minLength, MAX_BUFFER_BYTES) : 4096);
    if (minLength > 0) {
      const every = Number(process.env.LOG_FLUSH_MS ?? 500);
      setInterval(() => {
        try {
          dest.flush();
        } catch {
          // a flush while another is in flight: the next tick writes it
        }
      }, Number.isInteger(every) && every > 0 ? every : 500).unref();
    }
    destination = dest;
  }
  return pino(
    {
      level,
      base: { service: SERVICE },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

const SERVICE = 'items-service';
/** sonic-boom's largest write (minLength must stay below it). */
const MAX_WRITE = 16 * 1024;
const MAX_BUFFER_BYTES = MAX_WRITE - 1024;

/** A sonic-boom destination in buffer mode that also takes the strings pino writes. */
export function bufferDestination(fd: number | string, sync: boolean, minLength: number): ReturnType<typeof pino.destination> {
  const dest = pino.destination({ dest: fd, sync, minLength, maxWrite: MAX_WRITE, contentMode: 'buffer' } as Parameters<typeof pino.destination>[0] & object);
  const writeBuffer = dest.write.bind(dest) as unknown as (data: Buffer) => boolean;
  (dest as { write(data: string | Buffer): boolean }).write = (data) => writeBuffer(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  return dest;
}

/** Strings that can go into JSON between quotes as they are. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');

/**
 * The per-request access log. It writes into the main logger's destination (one writer, so
 * lines stay whole and in order) the exact line pino would write for
 * `logger.info({ reqId, traceId, amznTraceId, method, path, status, ms, aborted }, 'request')`
 * (level, time, service, the fields in that order, undefined ones left out, then msg), but
 * serialised by one precompiled function instead of pino's generic per-key walk, and with
 * the ISO timestamp formatted once per millisecond. No redaction: the fields are request
 * id, trace ids, method, path, status and duration, nothing secret.
 */
export interface AccessLogger {
  /** False when the logger's level hides info lines (then error lines are still written if enabled). */
  readonly infoEnabled: boolean;
  readonly errorEnabled: boolean;
  write(level: 'info' | 'error', line: AccessLine): void;
}

export interface AccessLine {
  readonly reqId: string;
  readonly traceId?: string;
  readonly amznTraceId?: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly aborted?: boolean;
}

export function createAccessLogger(logger: Logger): AccessLogger {
  const stream = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym];
  let lastMs = -1;
  let lastTime = '';
  return {
    infoEnabled: logger.isLevelEnabled('info'),
    errorEnabled: logger.isLevelEnabled('error'),
    write(level, l) {
      const now = Date.now();
      if (now !== lastMs) {
        lastMs = now;
        lastTime = new Date(now).toISOString();
      }
      let line = (level === 'info' ? '{"level":"info","time":"' : '{"level":"error","time":"') + lastTime + '","service":"' + SERVICE + '","reqId":' + jsonString(l.reqId);
      if (l.traceId !== undefined) line += ',"traceId":' + jsonString(l.traceId);
      if (l.amznTraceId !== undefined) line += ',"amznTraceId":' + jsonString(l.amznTraceId);
      line += ',"method":' + jsonString(l.method) + ',"path":' + jsonString(l.path) + ',"status":' + l.status + ',"ms":' + l.ms;
      if (l.aborted) line += ',"aborted":true';
      stream.write(line + ',"msg":"request"}\n');
    },
  };
}

/** Flushes buffered log lines synchronously (before process.exit). */
export function flushLogger(logger: Logger): void {
  try {
    const stream = (logger as unknown as Record<symbol, { flushSync?: () => void }>)[pino.symbols.streamSym];
    stream?.flushSync?.();
  } catch {
    // nothing buffered / not a sonic-boom stream
  }
}
