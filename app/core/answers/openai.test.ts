/** The OpenAI-compatible client against a local HTTP server that speaks the streaming protocol. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiCompatibleModel, takeSseData } from './openai.js';
import { AnswerModelError, citedPages, type AnswerSource } from './model.js';

const API_KEY = 'sk-test-secret-value-0123456789';
const chunks: AnswerSource[] = [
  {
    page: 5,
    ord: 9,
    heading: 'Factory reset',
    text: 'Hold the SAMPLE button and switch the power on. Press step 16 to confirm.',
  },
  { page: 2, ord: 3, heading: 'Setup', text: 'Connect the MIX OUT jacks to your mixer.' },
];
const delta = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ delta: { content }, finish_reason: finish }] })}\n\n`;

let server: http.Server;
let baseUrl: string;
const requests: {
  headers: http.IncomingHttpHeaders;
  body: { model: string; stream: boolean; messages: { role: string; content: string }[] };
}[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as (typeof requests)[number]['body'];
      requests.push({ headers: req.headers, body });
      const scenario = body.model;
      if (scenario === 'status-500')
        return void res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"error":{"message":"overloaded"}}');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (scenario === 'ok') {
        for (const piece of ['Hold ', 'SAMPLE ', 'while powering on ', '(page 5).']) res.write(delta(piece));
        res.end('data: [DONE]\n\n');
      } else if (scenario === 'cites-some') {
        // Page 2 was given; page 99 was not (a model may invent one).
        for (const piece of ['Connect MIX OUT [p. ', '2]. See also [p. 99].']) res.write(delta(piece));
        res.end('data: [DONE]\n\n');
      } else if (scenario === 'cites-none') {
        res.end(`${delta('Hold SAMPLE while powering on.')}data: [DONE]\n\n`);
      } else if (scenario === 'finish-no-done') {
        res.write(delta('Done.'));
        res.end(delta('', 'stop'));
      } else if (scenario === 'stall-first') {
        // headers only, then silence
      } else if (scenario === 'stall-mid') {
        res.write(delta('Hold '));
        res.write(delta('SAMPLE '));
      } else if (scenario === 'reset-mid') {
        res.write(delta('Hold '));
        setTimeout(() => req.socket.destroy(), 50);
      } else if (scenario === 'end-early') {
        res.write(delta('Hold '));
        res.end();
      } else if (scenario === 'error-event') {
        res.write(delta('Hold '));
        res.end(`data: ${JSON.stringify({ error: { message: 'rate limit' } })}\n\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function model(scenario: string) {
  return createOpenAiCompatibleModel({
    baseUrl,
    model: scenario,
    apiKey: API_KEY,
    firstTokenTimeoutMs: 400,
    idleTimeoutMs: 400,
  });
}

async function run(scenario: string): Promise<{ pieces: string[]; error: unknown }> {
  const pieces: string[] = [];
  try {
    for await (const piece of model(scenario).stream('how do I reset it?', chunks, new AbortController().signal))
      pieces.push(piece);
    return { pieces, error: undefined };
  } catch (error) {
    return { pieces, error };
  }
}

function expectError(error: unknown, code: AnswerModelError['code']): void {
  expect(error).toBeInstanceOf(AnswerModelError);
  expect((error as AnswerModelError).code).toBe(code);
  expect((error as Error).message).not.toContain(API_KEY);
}

describe('OpenAI-compatible streaming model', () => {
  it('streams the deltas and cites the pages it was given', async () => {
    const stream = model('ok').stream('how do I reset it?', chunks, new AbortController().signal);
    const pieces: string[] = [];
    for await (const piece of stream) pieces.push(piece);
    expect(pieces.join('')).toBe('Hold SAMPLE while powering on (page 5).');
    // Only the page the answer used, not every page it was shown.
    expect(stream.citations()).toEqual([{ page: 5, snippet: 'Hold the SAMPLE button and switch the power on.' }]);
    const request = requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.stream).toBe(true);
    const user = request.body.messages.find((m) => m.role === 'user')!.content;
    expect(user).toContain('[page 5] Factory reset: Hold the SAMPLE button');
    expect(user).toContain('[page 2] Setup: Connect the MIX OUT');
    expect(user).toContain('Question: how do I reset it?');
  });

  it('cites only the given pages the answer cites, never an invented one', async () => {
    const stream = model('cites-some').stream('how do I connect it?', chunks, new AbortController().signal);
    for await (const _piece of stream);
    expect(stream.citations()).toEqual([{ page: 2, snippet: 'Connect the MIX OUT jacks to your mixer.' }]);
  });

  it('falls back to the best-ranked page when the answer cites none', async () => {
    const stream = model('cites-none').stream('how do I reset it?', chunks, new AbortController().signal);
    for await (const _piece of stream);
    expect(stream.citations().map((c) => c.page)).toEqual([5]);
  });

  it('reads page references as models write them', () => {
    expect(citedPages('Hold it [p. 5]. Then (page 7), pages 9 and 11, pp. 3–4, p.12, 14 & 15.')).toEqual([
      5, 7, 9, 11, 3, 4, 12, 14, 15,
    ]);
    expect(citedPages('Press step 16, then SETUP. 5 times (pages 1-400).')).toEqual([1]);
    expect(citedPages('No reference here.')).toEqual([]);
  });

  it('accepts a finish_reason as the end of the answer', async () => {
    const { pieces, error } = await run('finish-no-done');
    expect(error).toBeUndefined();
    expect(pieces.join('')).toBe('Done.');
  });

  it('an HTTP error is a named error without the key in it', async () => {
    const { error } = await run('status-500');
    expectError(error, 'upstream_status');
    expect((error as Error).message).toMatch(/HTTP 500/);
  });

  it('times out when no first token comes', async () => {
    const { pieces, error } = await run('stall-first');
    expectError(error, 'timeout');
    expect(pieces).toEqual([]);
  });

  it('times out when the stream stalls mid-answer', async () => {
    const { pieces, error } = await run('stall-mid');
    expectError(error, 'timeout');
    expect(pieces).toEqual(['Hold ', 'SAMPLE ']);
  });

  it('a connection reset mid-stream is a broken stream', async () => {
    const { pieces, error } = await run('reset-mid');
    expectError(error, 'broken_stream');
    expect(pieces).toEqual(['Hold ']);
  });

  it('a stream that ends without [DONE] is not passed off as complete', async () => {
    expectError((await run('end-early')).error, 'broken_stream');
  });

  it('an error event from upstream ends the answer with a named error', async () => {
    const { error } = await run('error-event');
    expectError(error, 'upstream_status');
    expect((error as Error).message).toMatch(/rate limit/);
  });

  it('parses SSE events split across reads and multi-line data', () => {
    const first = takeSseData('data: {"a":1}\n\ndata: {"b"');
    expect(first).toEqual({ data: ['{"a":1}'], rest: 'data: {"b"' });
    expect(takeSseData(`${first.rest}:2}\r\n\r\n: comment\n\ndata: x\ndata: y\n\n`).data).toEqual(['{"b":2}', 'x\ny']);
  });
});
