/**
 * Font metrics read from the bundled DejaVu TrueType files (no system fonts): the advance width of each
 * character, and the ascender/descender, so tests can compute the box a rendered SVG `<text>` occupies.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The one font family the diagrams are laid out and rendered with. */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export interface FontMetrics {
  readonly unitsPerEm: number;
  readonly ascender: number;
  readonly descender: number;
  /** Advance width in font units of a code point (the `.notdef` width when the font lacks it). */
  advance(codePoint: number): number;
}

/** Width of `text` in pixels at `size` (no kerning, so never narrower than the rendered text). */
export function textWidth(font: FontMetrics, text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    units += font.advance(ch.codePointAt(0)!);
  }
  return (units * size) / font.unitsPerEm;
}

const cache = new Map<string, FontMetrics>();

/** Metrics of a DejaVu face, read once. */
export function loadFont(weight: 'regular' | 'bold' = 'regular'): FontMetrics {
  const file = path.join(FONT_DIR, FONT_FILES[weight]);
  let m = cache.get(file);
  if (!m) {
    m = parseTtf(fs.readFileSync(file));
    cache.set(file, m);
  }
  return m;
}

/** Reads `head`, `hhea`, `hmtx` and a Unicode `cmap` subtable (format 4 or 12) of a TrueType font. */
export function parseTtf(buf: Buffer): FontMetrics {
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const at = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) {
      throw new Error(`font has no ${tag} table`);
    }
    return off;
  };
  const head = at('head');
  const hhea = at('hhea');
  const hmtx = at('hmtx');
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const ascender = buf.readInt16BE(hhea + 4);
  const descender = buf.readInt16BE(hhea + 6);
  const numberOfHMetrics = buf.readUInt16BE(hhea + 34);
  const glyphAdvance = (gid: number): number => buf.readUInt16BE(hmtx + 4 * Math.min(gid, numberOfHMetrics - 1));

  const cmap = at('cmap');
  let sub = -1;
  let best = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const offset = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(offset);
    const score =
      platform === 3 && encoding === 10 && format === 12
        ? 3
        : platform === 3 && encoding === 1 && format === 4
          ? 2
          : platform === 0
            ? 1
            : 0;
    if ((format === 4 || format === 12) && score > best) {
      best = score;
      sub = offset;
    }
  }
  if (sub < 0) {
    throw new Error('font has no Unicode cmap subtable of format 4 or 12');
  }
  const glyphOf = buf.readUInt16BE(sub) === 12 ? cmap12(buf, sub) : cmap4(buf, sub);
  const memo = new Map<number, number>();
  return {
    unitsPerEm,
    ascender,
    descender,
    advance(cp: number): number {
      let w = memo.get(cp);
      if (w === undefined) {
        w = glyphAdvance(glyphOf(cp));
        memo.set(cp, w);
      }
      return w;
    },
  };
}

/** Glyph ids wrap modulo 65536 (the cmap format 4 idDelta arithmetic). */
const u16 = (n: number): number => ((n % 65536) + 65536) % 65536;

function cmap4(buf: Buffer, sub: number): (cp: number) => number {
  const segCount = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const ranges = deltas + 2 * segCount;
  return (cp) => {
    for (let i = 0; i < segCount; i++) {
      if (cp > buf.readUInt16BE(ends + 2 * i)) {
        continue;
      }
      const start = buf.readUInt16BE(starts + 2 * i);
      if (cp < start) {
        return 0;
      }
      const delta = buf.readInt16BE(deltas + 2 * i);
      const rangeOffset = buf.readUInt16BE(ranges + 2 * i);
      if (rangeOffset === 0) {
        return u16(cp + delta);
      }
      const g = buf.readUInt16BE(ranges + 2 * i + rangeOffset + 2 * (cp - start));
      return g === 0 ? 0 : u16(g + delta);
    }
    return 0;
  };
}

function cmap12(buf: Buffer, sub: number): (cp: number) => number {
  const groups = buf.readUInt32BE(sub + 12);
  return (cp) => {
    for (let i = 0; i < groups; i++) {
      const g = sub + 16 + i * 12;
      const start = buf.readUInt32BE(g);
      const end = buf.readUInt32BE(g + 4);
      if (cp >= start && cp <= end) {
        return buf.readUInt32BE(g + 8) + (cp - start);
      }
    }
    return 0;
  };
}
