/**
 * Every stack by name, as declared: data, no images (platform/render/stacks.ts adds each stack's from its pin
 * file, and synth and the Pulumi program select from there). The order is the promotion order.
 */
import { dev } from './dev.js';
import { prod } from './prod.js';
import { staging } from './staging.js';
import type { StackName, StackSpec } from './types.js';

export const stackSpecs: Readonly<Record<StackName, StackSpec>> = { dev, staging, prod };
export const stackNames = Object.keys(stackSpecs) as StackName[];

export type { StackConfig, StackName, StackSpec } from './types.js';
