/**
 * The gateway: Fastify for HTTP (probes, metrics, static UI, manuals) and `ws` for /ws on the same port.
 * `ws` is attached in noServer mode so the upgrade path can refuse sockets while draining or at
 * capacity with a close reason the client can show.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCodes, MAX_FRAME_BYTES, negotiateProtocol } from '../../shared/protocol.js';
import type { Telemetry } from '../../shared/telemetry/registry.js';
import type { WebsocketCloseReason } from '../../shared/telemetry/catalog.js';
import { clientAddress } from './client-address.js';
import { Connection, type ConnectionDeps } from './connection.js';
import { originAllowed } from './origin-check.js';
import { TokenBucket } from './rate-limit.js';
import { registerHttpMetrics } from './http-metrics.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerMetricsRoute, registerProbes, type DependencyChecks } from './probes.js';

export interface GatewayOptions {
  log: Logger;
  telemetry: Telemetry;
  connection: Omit<ConnectionDeps, 'log' | 'metrics'>;
  maxConnections: number;
  /** Sockets one client address may hold at once. */
  maxConnectionsPerClient: number;
  /** New sockets one client address may open per minute (as many at once, then that rate). */
  connectsPerMinutePerClient: number;
  /** Proxies in front of the gateway whose X-Forwarded-For hop is trusted (the ingress is one). */
  trustedProxyHops: number;
  /** Browser origins allowed besides the gateway's own host (exact `scheme://host[:port]`). */
  allowedOrigins: ReadonlySet<string>;
  /** Every socket gets a heartbeat this often; one silent for a whole interval is cut. */
  heartbeatMs: number;
  /** Dependencies reported at /dependencies (not readiness: the gateway degrades without them); each throws when down. */
  dependencies: DependencyChecks;
  readinessDetails?: () => Record<string, string>;
  /** Operator routes (the admin API) for the internal listener, which also serves /metrics. */
  internalRoutes?: (app: FastifyInstance) => Promise<void>;
  /** Extra routes (static UI, manuals) registered by the composition root. */
  routes?: (app: FastifyInstance) => Promise<void>;
}

export interface Gateway {
  app: FastifyInstance;
  /**
   * The internal listener: /metrics and the admin API, on a port the Ingress never routes to and only
   * Prometheus (and an operator's port-forward) reaches.
   */
  internal: FastifyInstance;
  connections: () => number;
  /**
   * Readiness 503 at once, no new sockets, a `draining` frame to every open socket (they reconnect
   * elsewhere); sockets still open get `drainMs` to finish, then 1001.
   */
  drain(drainMs: number): Promise<void>;
}

/**
 * How long a drained gateway's clients are given to spread their reconnects over: a quarter of the
 * drain, at most 2 s. Enough to keep thousands of sockets from landing on the other instances in the
 * same millisecond, short enough that nobody waits for a dying server.
 */
export function reconnectWindowMs(drainMs: number): number {
  return Math.round(Math.min(2_000, drainMs / 4));
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { log, telemetry } = options;
  const m = telemetry.m;
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: (_address: string, hop: number) => hop < options.trustedProxyHops,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });
  let draining = false;
  const sockets = new Map<WebSocket, Connection>();
  const perClient = new Map<string, number>();
  // Connection churn (open, close, again) never holds a socket, so the cap above never sees it. A full
  // bucket is the same as no entry: an address quiet for a minute is forgotten, and the map is bounded.
  const connectBuckets = new LRUCache<string, TokenBucket>({ max: 100_000, ttl: 60_000, updateAgeOnGet: true });
  const connectAllowed = (client: string): boolean => {
    let bucket = connectBuckets.get(client);
    if (!bucket) {
      const perMinute = options.connectsPerMinutePerClient;
      bucket = new TokenBucket(perMinute / 60, perMinute);
      connectBuckets.set(client, bucket);
    }
    return bucket.take() === 'allow';
  };
  m.websocketConnectionLimit.set(options.maxConnections);

  registerHttpMetrics(app, m);
  registerSecurityHeaders(app);

  registerProbes(app, {
    telemetry,
    dependencies: options.dependencies,
    draining: () => draining,
    ...(options.readinessDetails ? { details: options.readinessDetails } : {}),
    metrics: false,
  });
  if (options.routes) await options.routes(app);

  const internal: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  registerHttpMetrics(internal, m);
  internal.get('/livez', async () => ({ status: 'ok' }));
  registerMetricsRoute(internal, telemetry);
  if (options.internalRoutes) await options.internalRoutes(internal);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const deps: ConnectionDeps = { ...options.connection, log, metrics: m };

  function refuse(socket: WebSocket, code: number, reason: string, metricReason: WebsocketCloseReason) {
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
    if (!originAllowed(request, options.allowedOrigins)) {
      m.websocketClosedTotal.inc({ reason: 'origin' });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (draining) return refuse(ws, CloseCodes.goingAway, 'server is shutting down; reconnect', 'draining');
      if (sockets.size >= options.maxConnections)
        return refuse(ws, CloseCodes.tryAgainLater, 'server at capacity; retry shortly', 'capacity');
      const client = clientAddress(request, options.trustedProxyHops);
      if (!connectAllowed(client))
        return refuse(
          ws,
          CloseCodes.tryAgainLater,
          'too many new connections from your address; retry shortly',
          'connect_rate',
        );
      const fromClient = perClient.get(client) ?? 0;
      if (fromClient >= options.maxConnectionsPerClient)
        return refuse(ws, CloseCodes.policyViolation, 'too many connections from your address', 'per_client');
      perClient.set(client, fromClient + 1);
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
      sockets.set(ws, new Connection(ws, deps, client, negotiateProtocol(request.url)));
    });
  });
  // One timer for every socket: cheap at 20,000 connections, and beats stay spread across the interval.
  const heartbeat = setInterval(() => {
    for (const connection of sockets.values()) connection.heartbeat();
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    app,
    internal,
    connections: () => sockets.size,
    async drain(drainMs) {
      // Readiness answers 503 from now on (so the Service stops routing here) and new sockets are
      // refused; the listener stays open until the end so probes can still see the 503.
      draining = true;
      clearInterval(heartbeat);
      // Tell every socket now, not at the deadline: clients move to another instance (and resume there)
      // while this one is still up, instead of showing "Connected" until the socket is cut.
      const reconnectWithinMs = reconnectWindowMs(drainMs);
      for (const connection of sockets.values()) connection.send({ type: 'draining', reconnectWithinMs });
      const deadline = Date.now() + drainMs;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const ws of sockets.keys()) {
        m.websocketClosedTotal.inc({ reason: 'draining' });
        ws.close(CloseCodes.goingAway, 'server is shutting down; reconnect');
      }
      // Give the close handshakes a moment, then cut whatever did not answer.
      const hardDeadline = Date.now() + 1_000;
      while (sockets.size > 0 && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of sockets.keys()) ws.terminate();
      await app.close();
      await internal.close(); // last: the drain stays visible to Prometheus until the end
    },
  };
}
