/**
 * Prints, as one JSON array, every distinct third-party image reference the stacks run (the catalogue
 * stacks/images/Dockerfile and every stack's pin file). ci.yml's third-party-images job feeds it to a
 * Trivy matrix, so a new or bumped pin is scanned without anyone editing the workflow:
 *   npx tsx scripts/third-party-images.ts   →   ["docker.io/library/redis:7.2.16-bookworm", …]
 */
import { fileURLToPath } from 'node:url';
import { thirdPartyImagePins } from '../platform/render/supply-chain.js';

export function thirdPartyImageRefs(dir?: string): string[] {
  return [...new Set(thirdPartyImagePins(dir).map((p) => p.ref))].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.stdout.write(`${JSON.stringify(thirdPartyImageRefs())}\n`);
