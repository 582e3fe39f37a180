// Builds the web UI's shipped files (decision 0026): one minified ES module bundle and the app
// shell with its CSS inline, fingerprinted, precompressed (brotli and gzip), into
// src/agora/webui/static/dist/. `make webui` runs it; the output is committed, so running Agora
// needs no Node. dist/manifest.json lists every source with its SHA-256: a Python test fails when
// a source changed after the last build.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const STATIC = path.join(ROOT, 'src/agora/webui/static');
const DIST = path.join(STATIC, 'dist');

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const relative = (file) => path.relative(STATIC, path.resolve(ROOT, file)).split(path.sep).join('/');

const common = { bundle: true, minify: true, write: false, metafile: true, legalComments: 'none', logLevel: 'warning' };
const js = await esbuild.build({
  ...common,
  entryPoints: [path.join(STATIC, 'js/main.js')],
  format: 'esm',
  target: ['es2020', 'chrome90', 'firefox90', 'safari14'],
  absWorkingDir: ROOT,
});
const css = await esbuild.build({
  ...common,
  entryPoints: [path.join(STATIC, 'css/app.css')],
  target: ['chrome90', 'firefox90', 'safari14'],
  absWorkingDir: ROOT,
});

const script = js.outputFiles[0].contents;
const styles = Buffer.from(css.outputFiles[0].contents).toString('utf8').trim();
const scriptName = `app-${sha256(script).slice(0, 12)}.js`;

// The shell: index.html as written, its stylesheet inline (the first paint needs no second
// request) and the bundle instead of the module graph.
const shellSource = fs.readFileSync(path.join(STATIC, 'index.html'), 'utf8');
const stylesheet = '<link rel="stylesheet" href="/css/app.css">';
const entry = '<script type="module" src="/js/main.js"></script>';
for (const needle of [stylesheet, entry]) {
  if (!shellSource.includes(needle)) throw new Error(`index.html no longer contains ${needle}`);
}
const shell = shellSource
  .replace(/\s*<link rel="modulepreload"[^>]*>/g, '')
  .replace(stylesheet, () => `<style>${styles}</style>`)
  .replace(entry, () => `<script type="module" src="/dist/${scriptName}"></script>`);

fs.rmSync(DIST, { recursive: true, force: true });
fs.mkdirSync(DIST, { recursive: true });
const outputs = {};
for (const [name, data] of [[scriptName, script], ['index.html', Buffer.from(shell)]]) {
  const file = path.join(DIST, name);
  fs.writeFileSync(file, data);
  const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gz = zlib.gzipSync(data, { level: 9 });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, gz);
  outputs[name] = { bytes: data.length, br: br.length, gzip: gz.length };
}

const inputs = {};
for (const file of [...Object.keys(js.metafile.inputs), ...Object.keys(css.metafile.inputs), 'src/agora/webui/static/index.html']) {
  inputs[relative(file)] = sha256(fs.readFileSync(path.resolve(ROOT, file)));
}
const manifest = {
  note: 'Written by webui/build.mjs (make webui); tests/webui/test_build.py checks it against the sources.',
  esbuild: esbuild.version,
  script: `/dist/${scriptName}`,
  inputs: Object.fromEntries(Object.entries(inputs).sort()),
  outputs,
};
fs.writeFileSync(path.join(DIST, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const [name, sizes] of Object.entries(outputs)) {
  console.log(`${name}: ${sizes.bytes} bytes, ${sizes.br} brotli, ${sizes.gzip} gzip`);
}
