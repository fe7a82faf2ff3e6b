import { describe, expect, it } from 'vitest';
import { configWarnings, editDistance, warningMessage, warnAboutEnvironment } from './warnings.js';

describe('editDistance', () => {
  it('counts insertions, deletions, replacements and swaps of neighbours as one edit each', () => {
    expect(editDistance('DATABASE_URL', 'DATABASE_URL')).toBe(0);
    expect(editDistance('DATABSE_URL', 'DATABASE_URL')).toBe(1);
    expect(editDistance('DATABAES_URL', 'DATABASE_URL')).toBe(1);
    expect(editDistance('REDIS_URLS', 'REDIS_URL')).toBe(1);
    expect(editDistance('PORT', 'HOST')).toBe(2);
    expect(editDistance('', 'WS_')).toBe(3);
  });
});

describe('configWarnings', () => {
  it('names a misspelt setting and the closest known one', () => {
    expect(configWarnings({ DATABSE_URL: 'postgres://u:s3cret@db/x' })).toEqual([
      { kind: 'unknown', variable: 'DATABSE_URL', closest: 'DATABASE_URL' },
    ]);
    expect(configWarnings({ WS_MAX_CONECTIONS: '10' })).toEqual([
      { kind: 'unknown', variable: 'WS_MAX_CONECTIONS', closest: 'WS_MAX_CONNECTIONS' },
    ]);
  });

  it("warns about any variable with one of the app's prefixes, however far from a setting", () => {
    const [warning] = configWarnings({ PREDICTION_THRESHOLD: '0.5' });
    expect(warning).toMatchObject({ kind: 'unknown', variable: 'PREDICTION_THRESHOLD' });
    expect(warning?.kind === 'unknown' && warning.closest).toBe('PREDICTION_LIMIT');
  });

  it("leaves alone the settings, the variables the app passes through, other programs' and Kubernetes' service links", () => {
    expect(
      configWarnings({
        DATABASE_URL: 'postgres://app@db/x',
        PGPASSWORD: 'pw',
        APP_RELEASE: '1.0.0',
        HOME: '/root',
        PATH: '/usr/bin',
        HOSTNAME: 'gateway-0',
        NODE_OPTIONS: '--max-old-space-size=512',
        REDIS_SERVICE_HOST: '10.0.0.1',
        REDIS_PORT: 'tcp://10.0.0.1:6379',
        REDIS_PORT_6379_TCP_ADDR: '10.0.0.1',
        WORKERS_SERVICE_PORT_METRICS: '9464',
      }),
    ).toEqual([]);
  });

  it('warns about a former name, and says when the new one makes it ignored', () => {
    expect(configWarnings({ PREDICTION_CONFIDENCE_THRESHOLD: '0.8' })).toEqual([
      {
        kind: 'deprecated',
        variable: 'PREDICTION_CONFIDENCE_THRESHOLD',
        replacement: 'MANUAL_PREFETCH_CONFIDENCE',
        ignored: false,
      },
    ]);
    const [both] = configWarnings({ PREDICTION_CONFIDENCE_THRESHOLD: '0.8', MANUAL_PREFETCH_CONFIDENCE: '0.7' });
    expect(both && warningMessage(both)).toBe(
      'PREDICTION_CONFIDENCE_THRESHOLD is deprecated and ignored: MANUAL_PREFETCH_CONFIDENCE is set too',
    );
  });

  it('logs names only, never values', () => {
    const lines: string[] = [];
    warnAboutEnvironment(
      { warn: (fields, message) => lines.push(JSON.stringify(fields) + message) },
      {
        DATABSE_URL: 'postgres://u:s3cret@db/x',
        LLM_API_KEEY: 's3cret-key',
      },
    );
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('did you mean DATABASE_URL?');
    expect(lines.join('\n')).toContain('did you mean LLM_API_KEY?');
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});
