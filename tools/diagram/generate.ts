/**
 * Architecture diagram generator: reads the example's synthesized CloudFormation
 * (`example/cdk.out/*.template.json`) and writes `docs/architecture*.{dot,svg,png}`.
 *
 *   node -r ts-node/register/transpile-only tools/diagram/generate.ts [--cdk-out <dir>] [--out <dir>] [--check]
 *
 * `--check` regenerates the DOT and SVG in memory and exits 1 when the committed files differ.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTemplates, Templates } from './cfn';
import { FONT_DIR, FONT_FAMILY, FONT_FILES } from './font';
import { iconImages, inlineIcons } from './icons';
import { buildModel, Model } from './model';
import { renderOutcomes } from './outcomes';
import { renderDot, View, VIEWS, viewFile } from './render';

export { buildModel, renderDot, readTemplates, VIEWS, viewFile };
export type { Model, Templates, View };

const ROOT = path.resolve(__dirname, '..', '..');

/** DOT of every view, keyed by file name (`architecture.dot`, `architecture-network.dot`, ...). */
export function renderDots(model: Model): Record<string, string> {
  const out: Record<string, string> = {};
  for (const view of VIEWS) {
    out[`${viewFile(view)}.dot`] = renderDot(model, view);
  }
  return out;
}

/** Renders DOT to SVG with the WASM Graphviz of @viz-js/viz (deterministic for the same DOT). */
export async function renderSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instance } = require('@viz-js/viz') as {
    instance: () => Promise<{
      renderString(
        dot: string,
        options: { format: string; engine: string; images: Array<{ name: string; width: string; height: string }> },
      ): string;
    }>;
  };
  const viz = await instance();
  const svg = inlineIcons(viz.renderString(dot, { format: 'svg', engine: 'dot', images: iconImages(dot) }));
  return svg.endsWith('\n') ? svg : svg + '\n';
}

/** Renders SVG to PNG with resvg and the bundled DejaVu Sans, the face Graphviz laid the text out with (no system fonts). */
export function renderPng(svg: string): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 1.5 },
    font: {
      fontFiles: Object.values(FONT_FILES).map((f) => path.join(FONT_DIR, f)),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}

/** DOT and SVG of every view and the outcomes Markdown, keyed by file name. */
export async function generate(templates: Templates): Promise<Record<string, string>> {
  const model = buildModel(templates);
  const dots = renderDots(model);
  const files: Record<string, string> = { 'architecture-outcomes.md': renderOutcomes(model) };
  for (const name of Object.keys(dots).sort()) {
    files[name] = dots[name];
    files[name.replace(/\.dot$/, '.svg')] = await renderSvg(dots[name]);
  }
  return files;
}

/** Pictures of the library's recipes, each drawn (summary view) from the snapshot of the integ test that builds it. */
export const RECIPES = [
  {
    file: 'architecture-shared-front-door',
    snapshot: path.join('integ', 'integ.shared-front-door.ts.snapshot'),
    title: 'Recipe: several services behind one front door (integ/integ.shared-front-door.ts)',
  },
] as const;

/** The templates of an integ snapshot, without the integ runner's assertion stack. */
export function readSnapshot(dir: string): Templates {
  const all = readTemplates(dir);
  return Object.fromEntries(Object.entries(all).filter(([name]) => !name.includes('DeployAssert')));
}

/** DOT and SVG of every recipe picture, keyed by file name. */
export async function generateRecipes(root: string = ROOT): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const recipe of RECIPES) {
    const model = buildModel(readSnapshot(path.join(root, recipe.snapshot)));
    const dot = renderDot(model, 'summary', { title: recipe.title, source: recipe.snapshot, links: false });
    files[`${recipe.file}.dot`] = dot;
    files[`${recipe.file}.svg`] = await renderSvg(dot);
  }
  return files;
}

/** Synthesizes the example app into `cdkOut` when it has no templates. */
export function ensureSynthesized(cdkOut: string): void {
  const has = fs.existsSync(cdkOut) && fs.readdirSync(cdkOut).some((f) => f.endsWith('.template.json'));
  if (has) {
    return;
  }
  const isDefault = path.resolve(cdkOut) === path.join(ROOT, 'example', 'cdk.out');
  if (!isDefault) {
    throw new Error(`${cdkOut} has no *.template.json files: synthesize the app into it first.`);
  }
  console.error(`${cdkOut} is missing: running \`npx projen example:synth\` first ...`);
  const result = spawnSync('npx', ['projen', 'example:synth'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(cdkOut)) {
    throw new Error(
      '`npx projen example:synth` failed: run it yourself, fix the synthesis error, then run `npx projen diagram` again.',
    );
  }
}

interface Options {
  cdkOut: string;
  out: string;
  check: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { cdkOut: path.join(ROOT, 'example', 'cdk.out'), out: path.join(ROOT, 'docs'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${a} needs a value`);
      }
      return path.resolve(v);
    };
    if (a === '--cdk-out') {
      opts.cdkOut = value();
    } else if (a === '--out') {
      opts.out = value();
    } else if (a === '--check') {
      opts.check = true;
    } else if (a === '--help' || a === '-h') {
      console.log('usage: generate.ts [--cdk-out <dir>] [--out <dir>] [--check]');
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${a}`);
    }
  }
  return opts;
}

/** Compares regenerated files with those in `out`; returns the names that differ or are missing. */
export function staleFiles(files: Record<string, string>, out: string): string[] {
  return Object.keys(files)
    .sort()
    .filter((name) => {
      const file = path.join(out, name);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== files[name];
    });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  ensureSynthesized(opts.cdkOut);
  const files = { ...(await generate(readTemplates(opts.cdkOut))), ...(await generateRecipes()) };
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  if (opts.check) {
    const stale = staleFiles(files, opts.out);
    if (stale.length > 0) {
      console.error(
        `The architecture diagram is stale: ${stale.map((f) => rel(path.join(opts.out, f))).join(', ')} ` +
          `differ from the synthesized templates in ${rel(opts.cdkOut)}. Run \`npx projen diagram\` and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`The architecture diagram in ${rel(opts.out)} is current.`);
    return;
  }
  fs.mkdirSync(opts.out, { recursive: true });
  for (const name of Object.keys(files).sort()) {
    fs.writeFileSync(path.join(opts.out, name), files[name]);
    if (name.endsWith('.svg')) {
      fs.writeFileSync(path.join(opts.out, name.replace(/\.svg$/, '.png')), renderPng(files[name]));
    }
  }
  const names = Object.keys(files).flatMap((n) => (n.endsWith('.svg') ? [n, n.replace(/\.svg$/, '.png')] : [n]));
  console.log(`wrote ${names.map((n) => rel(path.join(opts.out, n))).join(', ')}`);
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
