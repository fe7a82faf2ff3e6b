/** Structured JSON logs (pino) on stdout; secrets are redacted by path before they are written. */
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
