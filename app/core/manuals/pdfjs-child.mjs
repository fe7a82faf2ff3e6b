// pdf.js text extraction in its own short-lived Node process (plain JS: it runs without tsx). The PDF
// arrives on stdin; one JSON line leaves on stdout: {ok:true,pages} or {ok:false,name,message}. The
// parent (extract.ts) bounds its heap, its time, its output and its pages, so a hostile file costs this
// process only.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

async function readStdin() {
  const parts = [];
  for await (const chunk of process.stdin) parts.push(chunk);
  return new Uint8Array(Buffer.concat(parts));
}

// The parent's page bound plus one (argv[2]): a document with more pages is refused before any is read.
const lastPage = Number(process.argv[2]) || Number.POSITIVE_INFINITY;

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
    if (doc.numPages >= lastPage) {
      const error = new Error(`${doc.numPages} pages`);
      error.name = 'TooManyPages';
      throw error;
    }
    const pages = [];
    for (let n = 1; n <= Math.min(doc.numPages, lastPage); n++) {
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

let result;
try {
  result = { ok: true, pages: await extract(await readStdin()) };
} catch (error) {
  result = { ok: false, name: error?.name ?? 'Error', message: String(error?.message ?? error) };
}
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
