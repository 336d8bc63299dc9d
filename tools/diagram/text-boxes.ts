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

/** Points along the cubic Bézier path `d` of a Graphviz edge (`M x,y C x1,y1 x2,y2 x3,y3 …`), `steps` per segment. */
export function pathPoints(d: string, steps = 16): Array<[number, number]> {
  const nums = [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const pts: Array<[number, number]> = [];
  for (let i = 0; i + 1 < nums.length; i += 2) {
    pts.push([nums[i], nums[i + 1]]);
  }
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 3 < pts.length; i += 3) {
    const [p0, p1, p2, p3] = [pts[i], pts[i + 1], pts[i + 2], pts[i + 3]];
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const u = 1 - t;
      out.push([
        u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
        u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
      ]);
    }
  }
  return out;
}

/**
 * The labels an edge's line runs through: for every edge of a Graphviz SVG, the `<text>`s outside that edge
 * (node, cluster and other edges' labels) whose cap-height core one of its points falls in.
 */
export function edgeCrossings(svg: string): Array<{ edge: string; text: string }> {
  const boxes = textBoxes(svg);
  const found: Array<{ edge: string; text: string }> = [];
  for (const g of svg.matchAll(/<g id="edge\d+" class="edge">([\s\S]*?)<\/g>/g)) {
    const title = unescapeXml(/<title>([\s\S]*?)<\/title>/.exec(g[1])?.[1] ?? '');
    const own = new Set(textBoxes(g[1]).map((b) => `${b.text}@${b.x0.toFixed(1)},${b.y0.toFixed(1)}`));
    const points = [...g[1].matchAll(/<path\b[^>]*\bd="([^"]+)"/g)].flatMap((m) => pathPoints(m[1]));
    for (const b of boxes) {
      if (own.has(`${b.text}@${b.x0.toFixed(1)},${b.y0.toFixed(1)}`)) {
        continue;
      }
      const h = b.y1 - b.y0;
      const [y0, y1] = [b.y0 + 0.15 * h, b.y1 - 0.15 * h];
      if (points.some(([x, y]) => x > b.x0 + 0.5 && x < b.x1 - 0.5 && y > y0 && y < y1)) {
        found.push({ edge: title, text: b.text });
      }
    }
  }
  return found;
}
