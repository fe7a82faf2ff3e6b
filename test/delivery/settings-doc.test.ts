/** The README's settings table is the schema's (scripts/settings-doc.ts): a setting changed in one and not the other fails here. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingList } from '../../app/shared/config.js';
import { README_PATH, renderSettingsTable, withSettingsTable } from '../../scripts/settings-doc.js';

describe('the README settings table', () => {
  const readme = readFileSync(README_PATH, 'utf8');

  it('is the one generated from app/shared/config.ts (run `npm run settings-doc`)', () => {
    expect(readme).toBe(withSettingsTable(readme));
  });

  it('has a row for every setting, with its default', () => {
    for (const setting of settingList) expect(readme, setting.env).toContain(`| \`${setting.env}\` |`);
    expect(readme).toContain('| `WS_MAX_CONNECTIONS` | `20000` |');
    expect(readme).toContain('formerly `PREDICTION_CONFIDENCE_THRESHOLD`');
  });

  it('would differ from a schema whose setting changed (the check above can fail)', () => {
    const changed = settingList.map((s) => (s.env === 'PORT' ? { ...s, default: '8081' } : s));
    expect(withSettingsTable(readme, changed)).not.toBe(readme);
    expect(renderSettingsTable(changed).join('\n')).toContain('| `PORT` | `8081` |');
  });
});
