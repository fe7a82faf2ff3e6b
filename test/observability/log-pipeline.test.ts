/**
 * The log pipeline on the app's real log lines: the gateway runs (debug level) with its pino output
 * captured, a customer session selects a product with a manual (productId lines from the service and
 * the worker) and sends an oversized frame (a session line from the socket: its short hash, never the id); a request-scoped line comes
 * from the app's logger as Fastify's request.log makes it (a child with reqId). Every line goes through
 * the stages of the generated Alloy config (helpers/alloy-stages.ts interprets the River text) and must
 * come out with the expected labels, structured metadata and timestamp.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/shared/log.js';
import {
  alloyConfig,
  DISCOVERY_LABELS,
  LOG_LABELS,
  LOG_METADATA,
  PINO_LEVELS,
} from '../../platform/pulumi/log-pipeline.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { parseProcessStages, runGoTemplate, runStages } from './helpers/alloy-stages.js';
import { eventually } from './helpers/prometheus.js';

const stages = parseProcessStages(
  alloyConfig({ namespaces: ['hsc-jit-prod'], lokiPushUrl: 'http://loki:3100/loki/api/v1/push' }),
  'pino',
);
/** What discovery attaches to a gateway container's stream in the cluster. */
const discovered = { namespace: 'hsc-jit-prod', pod: 'gateway-7d9f-abcde', container: 'gateway', app: 'gateway' };
const RECEIVED_AT = Date.parse('2030-01-01T00:00:00Z');

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    done();
  },
});
let app: TestRuntime;

beforeAll(async () => {
  app = await startTestRuntime({ LOG_LEVEL: 'debug' }, { logDestination: capture });
  const client = await TestClient.connect(app.wsUrl);
  await client.next('hello');
  client.send({ type: 'select', productId: 'roland_87-tr8s' });
  await client.next('manual', (m) => m.status === 'ready', 30_000);
  client.send(JSON.stringify({ type: 'typing', seq: 1, text: 'x'.repeat(64 * 1024) }));
  await eventually(async () => client.closed, 10_000, 50);
  // Fastify's request.log is the app logger's child with the request id.
  createLogger('info', capture)
    .child({ reqId: 'req-1a' })
    .error({ err: new Error('boom') }, 'request failed');
  await eventually(async () => (lines.some((l) => l.includes('"reqId"')) ? true : undefined), 5_000, 20);
  // The suite's hookTimeout: starting the app outlasted 90 s under a CPU hog per core.
});

afterAll(async () => {
  await app?.dispose();
});

describe('the generated Alloy pipeline on the app’s real log lines', () => {
  it('the River text declares exactly the stages the interpreter knows', () => {
    expect(stages.map((s) => s.kind)).toEqual(['json', 'template', 'labels', 'structured_metadata', 'timestamp']);
    expect(Object.keys(DISCOVERY_LABELS)).toEqual(Object.keys(discovered));
  });

  it('every JSON line gets the bounded labels, its level by name, its fields as metadata and its own time', () => {
    const json = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.length).toBeGreaterThan(5);
    for (const [i, line] of lines.entries()) {
      const source = json[i]!;
      const entry = runStages(stages, line, discovered, RECEIVED_AT);
      // Labels: discovery's plus the level name, nothing unbounded.
      expect(entry.labels).toEqual({ ...discovered, level: PINO_LEVELS[String(source.level)] });
      expect(Object.keys(entry.labels).sort()).toEqual([...Object.keys(discovered), ...LOG_LABELS].sort());
      const expectedMetadata = Object.fromEntries(
        LOG_METADATA.filter((f) => source[f] !== undefined).map((f) => [f, String(source[f])]),
      );
      expect(entry.metadata).toEqual(expectedMetadata);
      expect(entry.timestamp).toBe(Date.parse(String(source.time)));
      expect(entry.line).toBe(line);
    }
  });

  it('the real lines include a session, a product, a request and several levels', () => {
    const entries = lines.map((l) => runStages(stages, l, discovered, RECEIVED_AT));
    const withSession = entries.find((e) => e.metadata.session);
    expect(withSession?.metadata.session).toMatch(/^[0-9a-f]{12}$/);
    expect(entries.filter((e) => e.metadata.productId === 'roland_87-tr8s').map((e) => e.metadata.msg)).toEqual(
      expect.arrayContaining(['manual queued', 'manual ready']),
    );
    expect(entries.find((e) => e.metadata.reqId === 'req-1a')?.labels.level).toBe('error');
    expect(new Set(entries.map((e) => e.labels.level))).toEqual(new Set(['debug', 'info', 'error']));
    console.log(
      JSON.stringify({
        logLines: entries.length,
        levels: [...new Set(entries.map((e) => e.labels.level))],
        sample: entries.find((e) => e.metadata.productId),
      }),
    );
  });

  it('a line that is not JSON keeps discovery labels only; an unknown level passes through', () => {
    expect(runStages(stages, 'plain text from a crashed process', discovered, RECEIVED_AT)).toEqual({
      line: 'plain text from a crashed process',
      labels: discovered,
      metadata: {},
      timestamp: RECEIVED_AT,
    });
    const odd = runStages(stages, '{"level":35,"msg":"x","time":"bad"}', discovered, RECEIVED_AT);
    expect(odd.labels.level).toBe('35');
    expect(odd.timestamp).toBe(RECEIVED_AT);
  });

  it('the template interpreter follows Go semantics for if / else if / else', () => {
    const t = '{{ if eq .Value "a" }}A{{ else if eq .Value "b" }}B{{ else }}<{{ .Value }}>{{ end }}!';
    expect(['a', 'b', 'c', ''].map((v) => runGoTemplate(t, v))).toEqual(['A!', 'B!', '<c>!', '<>!']);
    expect(() => runGoTemplate('{{ if ne .Value "a" }}x{{ end }}', 'a')).toThrow(/unsupported/);
  });
});
