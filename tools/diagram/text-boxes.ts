/**
 * The boxes the `<text>` elements of a Graphviz SVG occupy, measured with the DejaVu metrics the PNG is
 * rendered with, and the pairs of boxes that overlap (the check behind "no overlapping labels").
 */
import { FontMetrics, loadFont, textWidth } from './font';

export interface TextBox {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? m),
  );
}

/** Every non-blank `<text>` of a Graphviz SVG (whose coordinates are in one translated group) as a box. */
export function textBoxes(svg: string): TextBox[] {
  const fonts: Record<string, FontMetrics> = { regular: loadFont('regular'), bold: loadFont('bold') };
  const out: TextBox[] = [];
  for (const m of svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    const attrs = m[1];
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
    const text = unescapeXml(m[2].replace(/<[^>]+>/g, ''));
    if (text.trim() === '') {
      continue;
    }
    const size = Number(attr('font-size') ?? 14);
    const font = attr('font-weight') === 'bold' ? fonts.bold : fonts.regular;
    const x = Number(attr('x'));
    const y = Number(attr('y'));
    const w = textWidth(font, text, size);
    const anchor = attr('text-anchor') ?? 'start';
    const x0 = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    out.push({
      text,
      x0,
      x1: x0 + w,
      y0: y - (font.ascender * size) / font.unitsPerEm,
      y1: y - (font.descender * size) / font.unitsPerEm,
    });
  }
  return out;
}

/**
 * Pairs of boxes whose ink areas overlap by more than `tolerance` pixels in both directions. Lines of one
 * label sit one line-height apart, so the ascender/descender boxes of neighbouring lines may touch: the
 * vertical test uses the cap-height core of each line (70% of the box), which is where glyphs collide.
 */
export function overlaps(boxes: TextBox[], tolerance = 0.5): Array<[TextBox, TextBox]> {
  const sorted = [...boxes].sort((a, b) => a.x0 - b.x0);
  const core = (b: TextBox): [number, number] => {
    const h = b.y1 - b.y0;
    return [b.y0 + 0.15 * h, b.y1 - 0.15 * h];
  };
  const found: Array<[TextBox, TextBox]> = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    const [ay0, ay1] = core(a);
    for (let j = i + 1; j < sorted.length && sorted[j].x0 < a.x1 - tolerance; j++) {
      const b = sorted[j];
      const [by0, by1] = core(b);
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const dy = Math.min(ay1, by1) - Math.max(ay0, by0);
      if (dx > tolerance && dy > tolerance) {
        found.push([a, b]);
      }
    }
  }
  return found;
}
