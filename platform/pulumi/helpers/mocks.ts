/**
 * Runs the Pulumi program under Pulumi's own mocks (no CLI, no engine, no cluster) and records what the
 * engine would be asked to create: each registration's type, name, provider, dependencies and inputs,
 * read from the resource monitor's requests.
 */
import * as pulumi from '@pulumi/pulumi';
import { PROJECT } from '../config.js';
import { deploy } from '../program.js';

export interface Registration {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  provider: string;
  protect: boolean;
  /** The URN of its parent ('' for the stack's root). */
  parent: string;
  /** Its aliases as the engine receives them: a URN, or a spec (name, parent URN, or no parent). */
  aliases: Array<{ urn?: string; name?: string; parentUrn?: string; noParent?: boolean }>;
  dependencies: string[];
  inputs: Record<string, unknown>;
}

/** The value the mocked random provider "generates" for a RandomPassword: recognisable in any input it leaks into. */
export const generatedValue = (name: string) => `generated-${name}-7f3a`;
export const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
export const backupSecrets = { backupAccessKeyId: 'AKIA-test-0004', backupSecretAccessKey: 'backup-secret-key-0005' };
export const providedSecrets = {
  llmApiKey: 'sk-test-llm-key-0001',
  sentryDsn: 'https://public-key-0002@sentry.example/1',
  ...backupSecrets,
};

/** Secret inputs travel wrapped ({ <sig key>: <secret sig>, value }); the tests look at the values inside. */
function unwrapSecrets(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(unwrapSecrets);
  if (!node || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Runs the program for `stack` with the given config (keys without the project prefix) and records every registration. */
export async function run(stack: string, config: Record<string, string>, secretKeys: string[] = Object.keys(config)) {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    secretKeys.map((k) => `${PROJECT}:${k}`),
  );
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: args.type === RANDOM_PASSWORD ? { ...args.inputs, result: generatedValue(args.name) } : args.inputs,
      }),
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    false,
  );
  const registrations: Registration[] = [];
  // The mock monitor hands newResource() no dependencies; the request it receives has them, as the engine's would.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource: (req: RegisterRequest, cb: (err: unknown, res: RegisterResponse) => void) => void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err) {
        registrations.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          custom: req.getCustom(),
          provider: req.getProvider(),
          protect: req.getProtect(),
          parent: req.getParent(),
          aliases: req.getAliasesList().map((a) => {
            const spec = a.getSpec();
            if (!spec) return { urn: a.getUrn() };
            return {
              ...(spec.getName() ? { name: spec.getName() } : {}),
              ...(spec.getParenturn() ? { parentUrn: spec.getParenturn() } : {}),
              ...(spec.getNoparent() ? { noParent: true } : {}),
            };
          }),
          dependencies: req.getDependenciesList(),
          inputs: unwrapSecrets(
            pulumi.runtime.deserializeProperties(
              req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0],
            ),
          ) as Record<string, unknown>,
        });
      }
      cb(err, res);
    });
  const deployment = deploy();
  const outputs = {
    url: await resolved(deployment.outputs.url),
    grafanaUrl: await resolved(deployment.outputs.grafanaUrl),
    namespace: await resolved(deployment.outputs.namespace),
  };
  await Promise.all(Object.values(deployment.topology).map((group) => resolved(group.resources)));
  await pulumi.runtime.disconnect(); // drains every outstanding registration
  return { deployment, registrations, outputs };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getParent(): string;
  getAliasesList(): Array<{
    getUrn(): string;
    getSpec(): { getName(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
  }>;
  getDependenciesList(): string[];
  getObject(): unknown;
}
interface RegisterResponse {
  getUrn(): string;
}
