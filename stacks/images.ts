/**
 * The images a stack runs, as data: their keys and who writes each. The references themselves are in
 * stacks/images/: `Dockerfile` names the third-party images (the one place Dependabot bumps them),
 * `<stack>.json` is the stack's own pin file, which wins over it. platform/render/image-pins.ts reads and checks
 * them; scripts/pin-images.ts (a release) and scripts/promote.ts write them.
 */
import type { StackConfig, StackName } from './types.js';

export type ImageKey = keyof StackConfig['images'];
export type Images = StackConfig['images'];
export type Pins = Partial<Images>;

/** Who writes each image: a release (app images, built here) or the catalogue (third-party). Exhaustive by type. */
export const imageSource = {
  gateway: 'release',
  worker: 'release',
  web: 'release',
  redis: 'catalogue',
  redisExporter: 'catalogue',
  postgres: 'catalogue',
  postgresLocal: 'catalogue',
  kubectl: 'catalogue',
} as const satisfies Record<ImageKey, 'release' | 'catalogue'>;
export type ReleasedImageKey = { [K in ImageKey]: (typeof imageSource)[K] extends 'release' ? K : never }[ImageKey];
export const imageKeys = Object.keys(imageSource) as ImageKey[];
export const releasedImageKeys = imageKeys.filter((k): k is ReleasedImageKey => imageSource[k] === 'release');

export const CATALOGUE_FILE = 'Dockerfile';
export const pinFileName = (stack: StackName) => `${stack}.json`;
/** The key of a pin file that lists its entries without a digest. */
export const AWAITING = 'awaitingFirstRelease';
