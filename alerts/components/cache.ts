/** Cache: hit-rate collapse per cache and layer. */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import { and, binary, gt, lt, rate, ratio, recording, series, sumBy } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

const hits = sumBy(['cache', 'layer'], rate(series(metrics.cacheHitsTotal), '10m'));
const misses = sumBy(['cache', 'layer'], rate(series(metrics.cacheMissesTotal), '10m'));

export const cacheHitRatio = recording('cache_layer:cache_hits:ratio_rate10m', ratio(hits, binary(hits, '+', misses)));
export const cacheLookups = recording('cache_layer:cache_lookups:rate10m', binary(hits, '+', misses));

export const cacheRules: ComponentRules = {
  group: 'hsc-jit.cache',
  recordings: [cacheHitRatio, cacheLookups],
  alerts: [
    {
      name: 'CacheHitRateCollapse',
      severity: 'warning',
      // Only with real traffic: three lookups on a quiet night are no collapse.
      expr: and(lt(cacheHitRatio.series(), 0.2), gt(cacheLookups.series(), 0.5)),
      for: '15m',
      summary: 'A cache layer is answering fewer than 20% of lookups.',
      description:
        'The {{ $labels.layer }} layer of the {{ $labels.cache }} cache hits only {{ $value | humanizePercentage }} of lookups.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'Answers and manuals are recomputed instead of served from cache: latency and load on Postgres and the answer model rise. Losing Redis loses warmth, not data, so this often follows a Redis restart or failover.',
        confirm:
          'Dashboard "HSC-JIT overview", panel "Cache hit rate by layer". Check Redis on the "Data stores" dashboard (memory, evictions, a recent failover).',
        act: '1. After a Redis restart/failover the rate recovers as the cache warms; watch it for 30 minutes. 2. If Redis evicts (memory at maxmemory), raise its memory. 3. If a deploy changed cache keys, expect a warm-up; roll back only if latency SLOs burn.',
      },
    },
  ],
};
