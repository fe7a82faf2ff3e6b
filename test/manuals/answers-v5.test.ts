/**
 * Protocol v5 answers on the running app (embedded defaults, demo manuals): a follow-up in a thread is
 * read against the turn before it and says so; answer_done carries confidence and structure to a v5
 * client and nothing new to a v4 one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { AnswerDoneFrameV5 } from '../../app/shared/protocol.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.dispose();
});

const TR8S = 'roland_87-tr8s';
const textOf = (client: TestClient, id: string) =>
  client.frames
    .filter((f) => f.type === 'answer_chunk' && f.id === id)
    .map((f) => (f as { text: string }).text)
    .join('');

describe('answers over protocol v5', () => {
  it('answers a follow-up in the context of the previous turn, with confidence and structure', async () => {
    const client = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await client.next('hello');
    client.send({
      type: 'ask',
      id: 'a1',
      thread: 't1',
      productId: TR8S,
      question: 'How do I restore the factory settings?',
    });
    const first = AnswerDoneFrameV5.parse(await client.next('answer_done', (d) => d.id === 'a1', 30_000));
    expect(first.confidence).toBe('confident');
    expect(first.structure?.steps.length).toBeGreaterThan(0);
    expect(first.structure?.cautions.map((c) => c.text).join(' ')).toMatch(/back up/i);

    client.send({ type: 'ask', id: 'a2', thread: 't1', productId: TR8S, question: 'and how long does that take?' });
    const second = AnswerDoneFrameV5.parse(await client.next('answer_done', (d) => d.id === 'a2', 30_000));
    expect(second.context).toEqual({ id: 'a1', question: 'How do I restore the factory settings?' });
    expect(textOf(client, 'a2')).toMatch(/minute/);
    client.close();
  });

  it('gives a v4 client the same answer with only id and citations in answer_done', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'ask', id: 'b1', productId: TR8S, question: 'How do I restore the factory settings?' });
    const done = await client.next('answer_done', (d) => d.id === 'b1', 30_000);
    expect(Object.keys(done).sort()).toEqual(['citations', 'id', 'type']);
    expect(textOf(client, 'b1')).toMatch(/SAMPLE/);
    client.close();
  });
});
