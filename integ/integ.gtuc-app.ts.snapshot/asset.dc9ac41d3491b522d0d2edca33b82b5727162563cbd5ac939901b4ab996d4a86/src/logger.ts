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
 * JSON logs on stdout. Writes are asynchronous (sonic-boom coalesces lines that
 * arrive while a write is in flight, so a busy server makes few syscalls and an
 * idle one still writes at once); flushLogger() runs before the process exits.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'items-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: process.env.LOG_SYNC === 'true', minLength: 0 }),
  );
}

/**
 * The per-request access log: a child without redaction (its fields are
 * request id, method, path, status and duration: nothing secret), which keeps
 * the per-request cost low.
 */
export function createAccessLogger(logger: Logger): Logger {
  return pino(
    {
      level: logger.level,
      base: { service: 'items-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym],
  );
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
