/**
 * The gateway: Fastify for HTTP (probes, metrics, static UI, manuals) and `ws` for /ws on the same port.
 * `ws` is attached in noServer mode so the upgrade path can refuse sockets while draining or at
 * capacity with a close reason the client can show.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCodes, MAX_FRAME_BYTES } from '../protocol.js';
import type { Telemetry } from '../telemetry/registry.js';
import { Connection, type ConnectionDeps } from './connection.js';
import { registerHttpMetrics } from './http-metrics.js';
import { registerProbes, type DependencyChecks } from './probes.js';

export interface GatewayOptions {
  log: Logger;
  telemetry: Telemetry;
  connection: Omit<ConnectionDeps, 'log' | 'metrics'>;
  maxConnections: number;
  /** Sockets one client address may hold at once. */
  maxConnectionsPerClient: number;
  /** Take the client address from X-Forwarded-For (set when behind the ingress). */
  trustProxy: boolean;
  /** Dependencies reported at /dependencies (not readiness: the gateway degrades without them); each throws when down. */
  dependencies: DependencyChecks;
  /** Extra routes (static UI, manuals) registered by the composition root. */
  routes?: (app: FastifyInstance) => Promise<void>;
}

/** The client's address: the first X-Forwarded-For hop when the proxy in front is trusted. */
function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (trustProxy && first) || request.socket.remoteAddress || 'unknown';
}

export interface Gateway {
  app: FastifyInstance;
  connections: () => number;
  /** Readiness 503 at once, no new sockets; open sockets get `drainMs` to finish, then 1001. */
  drain(drainMs: number): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { log, telemetry } = options;
  const m = telemetry.m;
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: options.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });
  let draining = false;
  const sockets = new Set<WebSocket>();
  const perClient = new Map<string, number>();
  m.websocketConnectionLimit.set(options.maxConnections);

  registerHttpMetrics(app, m);

  registerProbes(app, { telemetry, dependencies: options.dependencies, draining: () => draining });
  if (options.routes) await options.routes(app);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const deps: ConnectionDeps = { ...options.connection, log, metrics: m };

  function refuse(socket: WebSocket, code: number, reason: string, metricReason: string) {
    m.websocketClosedTotal.inc({ reason: metricReason });
    socket.close(code, reason);
  }

  const server = app.server as Server;
  server.on('upgrade', (request, socket: Duplex, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (draining) return refuse(ws, CloseCodes.goingAway, 'server is shutting down; reconnect', 'draining');
      if (sockets.size >= options.maxConnections)
        return refuse(ws, CloseCodes.tryAgainLater, 'server at capacity; retry shortly', 'capacity');
      const client = clientAddress(request, options.trustProxy);
      const fromClient = perClient.get(client) ?? 0;
      if (fromClient >= options.maxConnectionsPerClient)
        return refuse(ws, CloseCodes.policyViolation, 'too many connections from your address', 'per_client');
      perClient.set(client, fromClient + 1);
      sockets.add(ws);
      m.websocketActiveConnections.inc();
      ws.on('close', () => {
        sockets.delete(ws);
        m.websocketActiveConnections.dec();
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
      });
      // ws closes a socket that sends an oversized frame itself (1009); count it like the other abuse closes.
      ws.on('error', (error: Error & { code?: string }) => {
        if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') m.websocketClosedTotal.inc({ reason: 'oversized' });
      });
      new Connection(ws, deps, client);
    });
  });

  return {
    app,
    connections: () => sockets.size,
    async drain(drainMs) {
      // Readiness answers 503 from now on (so the Service stops routing here) and new sockets are
      // refused; the listener stays open until the end so probes can still see the 503.
      draining = true;
      const deadline = Date.now() + drainMs;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const ws of sockets) {
        m.websocketClosedTotal.inc({ reason: 'draining' });
        ws.close(CloseCodes.goingAway, 'server is shutting down; reconnect');
      }
      // Give the close handshakes a moment, then cut whatever did not answer.
      const hardDeadline = Date.now() + 1_000;
      while (sockets.size > 0 && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of sockets) ws.terminate();
      await app.close();
    },
  };
}
