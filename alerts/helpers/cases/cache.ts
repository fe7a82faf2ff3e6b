import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget as t } from './targets.js';

const lookups = (hitsPerMinute: number, missesPerMinute: number) => [
  input(series(metrics.cacheHitsTotal, { ...t, cache: 'answers', layer: 'l2' }), `0+${hitsPerMinute}x60`),
  input(series(metrics.cacheMissesTotal, { ...t, cache: 'answers', layer: 'l2' }), `0+${missesPerMinute}x60`),
];

export const cacheCases: AlertCase[] = [
  {
    alert: 'CacheHitRateCollapse',
    firing: lookups(6, 54),
    // rate() divides by the whole 10m window, so lookups/s climb 0.1 per minute from a fresh start and
    // pass the 0.5/s traffic floor at minute 6.
    trueFromMinute: 6,
    labels: { cache: 'answers', layer: 'l2' },
    valueText: '10%',
    healthy: [
      ...lookups(54, 6),
      // A collapsed hit rate on almost no traffic is not an incident.
      input(series(metrics.cacheHitsTotal, { ...t, cache: 'manuals', layer: 'l1' }), '0+0x60'),
      input(series(metrics.cacheMissesTotal, { ...t, cache: 'manuals', layer: 'l1' }), '0+3x60'),
    ],
  },
];
