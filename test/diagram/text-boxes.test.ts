import * as fs from 'fs';
import * as path from 'path';
import { loadFont, textWidth } from '../../tools/diagram/font';
import { renderSvg } from '../../tools/diagram/generate';
import { edgeCrossings, overlaps, textBoxes } from '../../tools/diagram/text-boxes';

const DOCS = path.join(__dirname, '..', '..', 'docs');

describe('font metrics', () => {
  test('reads the DejaVu Sans advance widths from the TrueType file', () => {
    // GIVEN
    const regular = loadFont('regular');
    const bold = loadFont('bold');

    // THEN: DejaVu Sans has 2048 units per em; "W" is 2025 units, "i" 569 (bold: 2259 and 702)
    expect(regular.unitsPerEm).toBe(2048);
    expect([regular.advance(0x57), regular.advance(0x69)]).toEqual([2025, 569]);
    expect([bold.advance(0x57), bold.advance(0x69)]).toEqual([2259, 702]);
    expect(textWidth(regular, 'Wi', 20.48)).toBeCloseTo(25.94, 6);
  });

  test.each([
    ['Aurora writer items-rds-db-writer db.t4g.medium', false],
    ['Secrets Manager items-rds-db-credentials', true],
  ])('Graphviz lays out %s with the widths the PNG renders (bold: %s)', async (label, bold) => {
    // WHEN: a margin-less label node, laid out by the WASM Graphviz in DejaVu Sans
    const svg = await renderSvg(
      `digraph{pad=0; n[shape=none margin=0 fontname="DejaVu Sans" fontsize=10 label=<${bold ? `<B>${label}</B>` : label}>]}`,
    );
    const width = Number(/viewBox="0.00 0.00 ([\d.]+) /.exec(svg)![1]);

    // THEN: the node is as wide as the text measured with the font file (Graphviz rounds to whole points)
    expect(Math.abs(width - textWidth(loadFont(bold ? 'bold' : 'regular'), label, 10))).toBeLessThan(1.5);
  });
});

describe('text boxes of the rendered SVG', () => {
  test('finds an overlap and ignores lines that only touch', () => {
    // GIVEN: two labels on one baseline, a third one line below the first
    const svg = [
      '<text text-anchor="start" x="0" y="10" font-size="10">TCP dynamic hos</text>',
      '<text text-anchor="middle" x="80" y="10" font-size="10">TCP:8080</text>',
      '<text text-anchor="start" x="0" y="22" font-size="10">next line</text>',
    ].join('\n');

    // WHEN
    const found = overlaps(textBoxes(svg)).map(([a, b]) => [a.text, b.text]);

    // THEN
    expect(found).toEqual([['TCP dynamic hos', 'TCP:8080']]);
  });

  test.each([
    'architecture',
    'architecture-network',
    'architecture-security',
    'architecture-summary',
    'architecture-shared-front-door',
  ])('no two labels of docs/%s.svg overlap', (name) => {
    // GIVEN
    const svg = fs.readFileSync(path.join(DOCS, `${name}.svg`), 'utf8');

    // WHEN
    const boxes = textBoxes(svg);
    const found = overlaps(boxes).map(([a, b]) => `${JSON.stringify(a.text)} overlaps ${JSON.stringify(b.text)}`);

    // THEN
    expect(boxes.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});

describe('edge crossings', () => {
  test("finds a label an edge runs through, and not the edge's own label", () => {
    // GIVEN a straight edge from (0,-50) to (300,-50) with its own label on the line, and a node label on it too
    const svg = [
      '<g id="node1" class="node"><text text-anchor="start" x="100" y="-47" font-size="10.00">in the way</text></g>',
      '<g id="edge1" class="edge"><title>a->b</title>',
      '<path fill="none" stroke="black" d="M0,-50C100,-50 200,-50 300,-50"/>',
      '<text text-anchor="start" x="220" y="-47" font-size="9.00">own</text></g>',
      '<g id="node2" class="node"><text text-anchor="start" x="100" y="-10" font-size="10.00">clear</text></g>',
    ].join('');

    // WHEN
    const found = edgeCrossings(svg);

    // THEN
    expect(found).toEqual([{ edge: 'a->b', text: 'in the way' }]);
  });

  test.each(['architecture-summary', 'architecture-shared-front-door'])(
    'no edge of docs/%s.svg runs through a label (the README pictures)',
    (name) => {
      const svg = fs.readFileSync(path.join(DOCS, `${name}.svg`), 'utf8');
      expect(svg).toContain('class="edge"');
      expect(edgeCrossings(svg)).toEqual([]);
    },
  );
});

describe('summary view', () => {
  test('fits about 1,000 px, links the full views and embeds its AWS icons', () => {
    // GIVEN
    const svg = fs.readFileSync(path.join(DOCS, 'architecture-summary.svg'), 'utf8');

    // WHEN
    const width = Number(/viewBox="0.00 0.00 ([\d.]+) /.exec(svg)![1]);
    const hrefs = [...svg.matchAll(/xlink:href="([^"]+)"/g)].map((m) => m[1]);

    // THEN
    expect(width).toBeLessThanOrEqual(1000);
    expect(hrefs.filter((h) => !h.startsWith('data:'))).toEqual(
      expect.arrayContaining(['architecture.svg', 'architecture-network.svg', 'architecture-security.svg', 'cost.md']),
    );
    expect(hrefs.filter((h) => h.startsWith('data:image/svg+xml;base64,')).length).toBeGreaterThanOrEqual(8);
    expect(hrefs.some((h) => h.startsWith('aws-icons/'))).toBe(false);
  });
});
