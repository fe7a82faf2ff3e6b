import { loadBundledCatalog } from './bench/queries/catalog.js';
import { labelledQueries } from './bench/queries/labelled.js';
import { measureWebSocketRoundTrip } from './bench/ws-roundtrip.js';
const texts = labelledQueries(loadBundledCatalog()).map((q) => q.text);
const r = await measureWebSocketRoundTrip(texts, (m) => process.stderr.write(m + '\n'));
console.log(JSON.stringify(r));
