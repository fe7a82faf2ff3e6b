/** A broken rule, naming the object: synth refuses with every violation listed. */
export interface Violation {
  rule: string;
  /** "Kind/name" (namespace-less: names are unique per kind in a stack). */
  object: string;
  message: string;
}

export function objectId(object: { kind?: unknown; metadata?: { name?: unknown } }): string {
  return `${String(object.kind)}/${String(object.metadata?.name)}`;
}

export class SynthError extends Error {
  constructor(
    readonly stackName: string,
    readonly violations: Violation[],
  ) {
    super(
      `synth of stack "${stackName}" refused, ${violations.length} problem(s):\n${violations.map((v) => `  - [${v.rule}] ${v.object}: ${v.message}`).join('\n')}`,
    );
    this.name = 'SynthError';
  }
}
