// An album's cover, drawn from the album itself: square, no network image, the same every time for
// the same album and different from one album to the next. A hash of the album's id, title and
// artist picks two colours, a pattern and where its shapes sit; the title's initials go on top.
import { html } from '../lib/html.js';
import { hashOf } from '../lib/format.js';

// Each pattern draws its shapes from a stream of numbers (0..1) made from the hash.
const PATTERNS = [
  // Circles of different sizes.
  (next, ink) =>
    [0, 1, 2].map((i) => html`<circle key=${i} cx=${10 + next() * 80} cy=${10 + next() * 80}
      r=${14 + next() * 26} fill=${ink} opacity=${0.22 + 0.12 * i} />`),
  // Diagonal bands.
  (next, ink) => {
    const width = 8 + next() * 10;
    const start = next() * 30;
    return [0, 1, 2, 3].map((i) => html`<rect key=${i} x=${-60 + start + i * width * 2.4} y="-20"
      width=${width} height="160" fill=${ink} opacity="0.35" transform="rotate(35 50 50)" />`);
  },
  // Rings around one centre.
  (next, ink) => {
    const cx = 25 + next() * 50;
    const cy = 25 + next() * 50;
    return [46, 34, 22, 10].map((r, i) => html`<circle key=${i} cx=${cx} cy=${cy} r=${r} fill="none"
      stroke=${ink} stroke-width=${3 + next() * 4} opacity="0.4" />`);
  },
  // A grid of squares, some filled.
  (next, ink) => {
    const cells = [];
    for (let row = 0; row < 4; row += 1) {
      for (let col = 0; col < 4; col += 1) {
        if (next() < 0.45) {
          cells.push(html`<rect key=${`${row}-${col}`} x=${col * 25 + 3} y=${row * 25 + 3} width="19"
            height="19" rx="3" fill=${ink} opacity="0.3" />`);
        }
      }
    }
    return cells;
  },
  // Overlapping triangles.
  (next, ink) =>
    [0, 1].map((i) => {
      const x = next() * 60;
      const y = 30 + next() * 50;
      return html`<polygon key=${i} points=${`${x},${y + 60} ${x + 45},${y - 30} ${x + 100},${y + 60}`}
        fill=${ink} opacity=${0.25 + 0.15 * i} />`;
    }),
];

// "Kind of Blue" → "KB"; "The Dark Side of the Moon" → "DS" (small words do not count).
const SMALL = new Set(['a', 'an', 'the', 'of', 'and', 'in', 'on', 'to', 'for', 'at', 'by', '&']);
export function coverInitials(title) {
  const words = String(title || '').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const big = words.filter((w) => !SMALL.has(w.toLowerCase()));
  const picked = (big.length ? big : words).slice(0, 2);
  return picked.map((w) => w.match(/[\p{L}\p{N}]/u)[0].toUpperCase()).join('') || '♪';
}

export function coverDesign(album) {
  let seed = hashOf(`${album.albumId ?? ''}|${album.title ?? ''}|${album.artist ?? ''}`);
  // A small deterministic generator (mulberry32) seeded by the hash.
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hue = Math.floor(next() * 360);
  const second = (hue + 40 + Math.floor(next() * 140)) % 360;
  const pattern = Math.floor(next() * PATTERNS.length);
  return { hue, second, pattern, next };
}

export function AlbumCover({ album, class: extra = '' }) {
  const { hue, second, pattern, next } = coverDesign(album);
  const id = `cover-${hashOf(`${album.albumId}|${album.title}`).toString(36)}`;
  return html`
    <svg class=${`album-cover ${extra}`} viewBox="0 0 100 100" aria-hidden="true" focusable="false"
      data-testid="album-cover" data-design=${`${hue}-${second}-${pattern}`}>
      <defs>
        <linearGradient id=${id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color=${`hsl(${hue} 45% 34%)`} />
          <stop offset="1" stop-color=${`hsl(${second} 50% 52%)`} />
        </linearGradient>
      </defs>
      <rect width="100" height="100" fill=${`url(#${id})`} />
      ${PATTERNS[pattern](next, `hsl(${(second + 180) % 360} 60% 85%)`)}
      <text x="8" y="92" font-size="26" font-weight="750" fill="#fff" fill-opacity="0.92"
        font-family="system-ui, sans-serif" letter-spacing="1">${coverInitials(album.title)}</text>
    </svg>
  `;
}
