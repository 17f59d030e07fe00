// Render every page of PDF files with pdf.js and read their text, the way a browser's PDF viewer does.
//
//   node render.mjs DPI OUTDIR FILE.pdf...
//
// Writes OUTDIR/<i>-<page>.png (page <page> of the i-th file, 1-based, at DPI) and prints one JSON object:
// {"files": [[text of page 1, text of page 2, ...], ...]}, the text being pdf.js's text content items joined.
// Fonts are the PDF's embedded ones (no system fonts, no font face loading); annotations (form fields) are not
// drawn, as tests/viewers.py explains. Exits 1 on any problem.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { AnnotationMode, getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

const [dpi, outDir, ...files] = process.argv.slice(2);
if (!dpi || !outDir || files.length === 0) {
  process.stderr.write('usage: node render.mjs DPI OUTDIR FILE.pdf...\n');
  process.exit(1);
}
const scale = Number(dpi) / 72;
const result = { files: [] };
for (const [i, file] of files.entries()) {
  const pdf = await getDocument({
    data: new Uint8Array(readFileSync(file)), disableFontFace: true, useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS, isEvalSupported: false,
  }).promise;
  const texts = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale });
    const { canvas, context } = pdf.canvasFactory.create(Math.round(viewport.width), Math.round(viewport.height));
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: context, viewport, annotationMode: AnnotationMode.DISABLE }).promise;
    writeFileSync(join(outDir, `${i + 1}-${number}.png`), canvas.toBuffer('image/png'));
    const content = await page.getTextContent();
    texts.push(content.items.map(item => item.str ?? '').join(''));
    page.cleanup();
  }
  result.files.push(texts);
  await pdf.destroy();
}
process.stdout.write(JSON.stringify(result));
