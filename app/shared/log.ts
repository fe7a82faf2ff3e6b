/** Structured JSON logs (pino) on stdout; secrets are redacted by path before they are written. */
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'config.answers.llm.apiKey',
  'config.redis.password',
  'config.redis.sentinelPassword',
  'config.database.url',
  'config.database.replicaUrl',
  'config.observability.sentryDsn',
  'config.server.adminToken',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.token',
  // A session id is a bearer token: logs carry `session` (sessionRef) instead; these catch a slip.
  'sessionId',
  '*.sessionId',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hsc-jit' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * What logs, audit targets and error reports carry instead of a session id: the id is a bearer token
 * (whoever has it can resume the conversation), so only the first 12 hex digits of its SHA-256 are
 * written, enough to follow one session through the logs and useless for resuming it.
 */
export function sessionRef(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 12);
}
