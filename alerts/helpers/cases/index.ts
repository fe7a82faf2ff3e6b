/** promtool test cases, one module per component; every alert must have one (checked by the test). */
import type { AlertCase } from '../promtool-tests.js';
import { cacheCases } from './cache.js';
import { datastoresCases } from './datastores.js';
import { gatewayCases } from './gateway.js';
import { kubernetesCases } from './kubernetes.js';
import { manualsCases } from './manuals.js';
import { predictorCases } from './predictor.js';

export const casesByComponent: Record<string, AlertCase[]> = {
  gateway: gatewayCases,
  predictor: predictorCases,
  manuals: manualsCases,
  cache: cacheCases,
  datastores: datastoresCases,
  kubernetes: kubernetesCases,
};
