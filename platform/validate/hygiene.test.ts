/**
 * Workload hygiene (platform/hygiene.ts applies it, validate/rules.ts enforces it): every rule holds on
 * every stack as rendered, and breaking each one on real synth output is refused, naming the object.
 */
import { describe, expect, it } from 'vitest';
import { stacks } from '../../stacks/index.js';
import { synthObjects } from '../app.js';
import { pullPolicy } from '../hygiene.js';
import { broken, expectRefused } from './helpers/broken.js';
import { workloads, allContainers, type Obj } from './objects.js';

const digestRef = `ghcr.io/halilit/hsc-jit-web:sha-0123abc@sha256:${'a'.repeat(64)}`;

describe('pull policy follows the pinning', () => {
  it('digest → IfNotPresent, tag → Always, on every container of every stack', () => {
    expect(pullPolicy(digestRef)).toBe('IfNotPresent');
    expect(pullPolicy('docker.io/library/redis:7.2.5-bookworm')).toBe('Always');
    for (const stack of Object.values(stacks))
      for (const w of workloads(synthObjects(stack).topology as Obj[]))
        for (const { container } of allContainers(w.podSpec))
          expect(container.imagePullPolicy, `${stack.name} ${w.object.metadata.name}/${container.name}`).toBe(
            pullPolicy(container.image),
          );
  });

  it('a digest-pinned image still pulled Always, or a tag pulled IfNotPresent, is refused', () => {
    expectRefused(
      broken((find) => {
        const c = find('Deployment', 'web').spec.template.spec.containers[0];
        c.image = digestRef;
        c.imagePullPolicy = 'Always';
      }),
      'pull-policy',
      'Deployment/web',
      /imagePullPolicy Always .* expected IfNotPresent/,
    );
    expectRefused(
      broken(
        (find) => (find('StatefulSet', 'redis').spec.template.spec.initContainers[0].imagePullPolicy = 'IfNotPresent'),
      ),
      'pull-policy',
      'StatefulSet/redis',
      /container bootstrap: imagePullPolicy IfNotPresent .* expected Always/,
    );
  });
});
