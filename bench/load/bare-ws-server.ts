/**
 * The peer: a bare `ws` WebSocketServer (no framework, no validation, no prediction, no metrics,
 * permessage-deflate off like the gateway) that sends `hello` on connect and answers each `typing` with
 * one fixed prediction (PEER_PREDICTION_ITEMS, a JSON array captured from the real gateway so both send
 * the same bytes). Prints `{"wsUrl": …}` once listening; stops on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../../app/shared/protocol.js';

const items = process.env.PEER_PREDICTION_ITEMS ?? '[]';
if (!Array.isArray(JSON.parse(items)))
  throw new Error('PEER_PREDICTION_ITEMS: expected a JSON array of prediction items');

const wss = new WebSocketServer({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: MAX_FRAME_BYTES,
});

wss.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'hello', sessionId: randomUUID(), protocol: PROTOCOL_VERSION }));
  socket.on('message', (data) => {
    // The least any server must do: parse the frame to echo its seq.
    const frame = JSON.parse(String(data)) as { type?: string; seq?: number };
    if (frame.type === 'typing') socket.send(`{"type":"prediction","seq":${Number(frame.seq)},"items":${items}}`);
  });
});

wss.on('listening', () => {
  const address = wss.address();
  if (address === null || typeof address === 'string')
    throw new Error(`expected a TCP address, got ${String(address)}`);
  process.stdout.write(`${JSON.stringify({ wsUrl: `ws://${address.address}:${address.port}/ws` })}\n`);
});

// Nothing to flush: exit at once rather than wait for every held socket to close.
process.once('SIGTERM', () => process.exit(0));
