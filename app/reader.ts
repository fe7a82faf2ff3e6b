/**
 * The Reader's ports for the gateway (manuals and answers). Until the just-in-time manual pipeline
 * lands, manuals report `none` and asks answer `unavailable` — honestly, never a made-up answer.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Bus } from './bus/bus.js';
import type { KeyValue } from './cache/kv.js';
import type { Db } from './storage/db.js';
import type { Telemetry } from './telemetry/registry.js';
import { UserFacingError, type AnswerPort, type ManualPort } from './gateway/services.js';

export interface ReaderDeps {
  config: AppConfig;
  db: Db;
  kv: KeyValue;
  bus: Bus;
  log: Logger;
  telemetry: Telemetry;
}

export interface Reader {
  manuals: ManualPort;
  answers: AnswerPort;
  routes: (app: FastifyInstance) => Promise<void>;
  close(): Promise<void>;
}

export function createReader(_deps: ReaderDeps): Reader {
  const none = (productId: string) => ({ productId, status: 'none' as const, progress: 0 });
  return {
    manuals: {
      ensure: async (product) => none(product.id),
      status: async (product) => none(product.id),
      watch: async () => async () => undefined,
    },
    answers: {
      answer: async () => {
        throw new UserFacingError('unavailable', 'answers are not available on this server yet');
      },
    },
    routes: async () => undefined,
    close: async () => undefined,
  };
}
