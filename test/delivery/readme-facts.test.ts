/**
 * The README's quick start states facts a new user acts on (where the app listens, on which ports, which
 * protocol it speaks): they must be the code's defaults, not what they were when the paragraph was written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingList } from '../../app/shared/config.js';
import { DEFAULT_PROTOCOL, PROTOCOL_VERSION } from '../../app/shared/protocol.js';
import { repoRoot } from '../../platform/render/synth.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const quickStart = readme.slice(
  readme.indexOf('## Quick start'),
  readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
);

function defaultOf(env: string): string | undefined {
  const setting = settingList.find((candidate) => candidate.env === env);
  if (!setting) throw new Error(`no setting ${env} in app/shared/config.ts`);
  return setting.default;
}

describe("README's quick start", () => {
  it('gives the URL `npm start` serves at: the default PORT', () => {
    const url = /npm start .*http:\/\/127\.0\.0\.1:(\d+)/.exec(quickStart);
    expect(url, 'the npm start line names http://127.0.0.1:<port>').not.toBeNull();
    expect(url![1]).toBe(defaultOf('PORT'));
  });

  it('says on which interface and ports the app listens, as the defaults are', () => {
    const host = /`HOST`, default `([^`]+)`/.exec(quickStart);
    expect(host, 'the quick start names HOST and its default').not.toBeNull();
    expect(host![1]).toBe(defaultOf('HOST'));
    // "every interface" is what 0.0.0.0 means; the sentence must change if the default does.
    expect(quickStart.includes('listens on every interface')).toBe(defaultOf('HOST') === '0.0.0.0');
    expect(quickStart).toContain(`\`PORT\` ${defaultOf('PORT')}`);
    expect(quickStart).toContain(`\`INTERNAL_PORT\` ${defaultOf('INTERNAL_PORT')}`);
  });

  it('names the protocol version app/shared/protocol.ts speaks, and the one a client that asks for none gets', () => {
    const row = readme.split('\n').find((line) => line.startsWith('| `app/shared/protocol.ts` |'));
    expect(row).toBeDefined();
    const versions = /protocol v(\d+) \(a client that does not ask for it is served v(\d+)\)/.exec(row!);
    expect(versions, row).not.toBeNull();
    expect(Number(versions![1])).toBe(PROTOCOL_VERSION);
    expect(Number(versions![2])).toBe(DEFAULT_PROTOCOL);
  });
});
