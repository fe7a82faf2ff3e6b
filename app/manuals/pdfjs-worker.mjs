// pdf.js text extraction in a worker thread (plain JS: a Worker cannot load TypeScript). Kept only as
// the measured alternative to pdftotext in bench/manuals.ts; see the choice explained in extract.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

async function extract(data) {
  const loading = getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await loading.promise;
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
      page.cleanup();
    }
    return pages;
  } finally {
    await loading.destroy();
  }
}

try {
  parentPort.postMessage({ ok: true, pages: await extract(workerData.data) });
} catch (error) {
  parentPort.postMessage({ ok: false, name: error?.name ?? 'Error', message: String(error?.message ?? error) });
}
