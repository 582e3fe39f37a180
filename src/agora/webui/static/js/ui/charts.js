// Charts drawn as SVG: horizontal bars, grouped bars and a score line. Each has a text summary for
// screen readers (role="img" with a label) since the shapes alone say nothing to them.
import { html, useLayoutEffect, useRef, useState } from '../lib/html.js';

const COLORS = ['#2f5d62', '#b8692e', '#6d8fb3', '#8a9a5b'];

// A chart whose SVG coordinates are CSS pixels: the frame measures the width it is given and
// draws at that width, so text keeps its size on a phone instead of shrinking with a scaled
// viewBox. `children` is a function of the width.
function ChartFrame({ children, fallback = 560 }) {
  const ref = useRef(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      const measured = Math.floor(element.getBoundingClientRect().width);
      if (measured > 0) setWidth((current) => (current === measured ? current : measured));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return html`<div class="chart-frame" ref=${ref}>${children(Math.max(width, 200))}</div>`;
}

// `text` cut with "…" to fit `room` pixels at the charts' 12 px (measured on a canvas in the
// page's font; a rough width per letter where there is no canvas).
let measurer;
function fitText(text, room, weight = 600) {
  if (measurer === undefined) {
    measurer = document.createElement('canvas').getContext('2d');
  }
  if (measurer) measurer.font = `${weight} 12px ${getComputedStyle(document.body).fontFamily}`;
  const width = (value) => (measurer ? measurer.measureText(value).width : value.length * 7.5);
  if (width(text) <= room) return text;
  let kept = text.length;
  while (kept > 1 && width(`${text.slice(0, kept).trimEnd()}…`) > room) kept -= 1;
  return `${text.slice(0, kept).trimEnd()}…`;
}

function short(value) {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2).replace(/0+$/, '');
}

export function BarChart({ items, title, unit = '' }) {
  if (!items.length) return html`<p class="empty">No data yet.</p>`;
  const row = 30;
  const height = items.length * row + 8;
  const max = Math.max(...items.map((i) => i.value), 1);
  const summary = `${title}: ${items.map((i) => `${i.label} ${short(i.value)}${unit}`).join(', ')}`;
  return html`
    <${ChartFrame}>
      ${(width) => {
        // The names take up to 150 px, less on a phone; a name longer than its room is cut with "…".
        const labelWidth = Math.round(Math.min(150, Math.max(96, width * 0.42)));
        return html`
          <svg class="chart" viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height} role="img"
            aria-label=${summary}>
            ${items.map((item, i) => {
              const y = i * row + 4;
              const barWidth = Math.max(((width - labelWidth - 56) * item.value) / max, 2);
              const name = fitText(item.label, labelWidth - 8);
              return html`
                <g key=${item.label}>
                  <text class="label" x="0" y=${y + 16}>${name}</text>
                  <rect x=${labelWidth} y=${y + 2} width=${barWidth} height="18" rx="4" fill=${COLORS[0]} />
                  <text class="value" x=${labelWidth + barWidth + 8} y=${y + 16}>${short(item.value)}${unit}</text>
                </g>
              `;
            })}
          </svg>
        `;
      }}
    <//>
  `;
}

// groups: [{label, values: [n, ...]}], series: names of the values, in order.
export function GroupedBars({ groups, series, title }) {
  if (!groups.length) return html`<p class="empty">No data yet.</p>`;
  const height = 220;
  const bottom = 28;
  const top = 18;
  const max = Math.max(...groups.flatMap((g) => g.values), 1);
  const scale = (v) => ((height - bottom - top) * v) / max;
  const summary = `${title}: ${groups
    .map((g) => `${g.label}: ${series.map((s, i) => `${g.values[i]} ${s}`).join(', ')}`)
    .join('; ')}`;
  return html`
    <div>
      <${ChartFrame}>
        ${(width) => {
          const slot = width / groups.length;
          const barWidth = Math.min(28, (slot - 24) / series.length);
          // Bars under 20 px go without their numbers over them (the summary still has them).
          return html`
            <svg class="chart" viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height} role="img"
              aria-label=${summary}>
              <line x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#e2ddd5" />
              ${groups.map((group, gi) => {
                const start = gi * slot + (slot - barWidth * series.length) / 2;
                const name = fitText(group.label, slot - 6);
                return html`
                  <g key=${group.label}>
                    ${group.values.map((value, si) => {
                      const h = Math.max(scale(value), value ? 2 : 0);
                      const x = start + si * barWidth;
                      return html`
                        <rect x=${x + 2} y=${height - bottom - h} width=${Math.max(barWidth - 4, 2)} height=${h} rx="3"
                          fill=${COLORS[si % COLORS.length]} />
                        ${barWidth >= 20 &&
                        html`<text x=${x + barWidth / 2} y=${height - bottom - h - 4} text-anchor="middle">${short(value)}</text>`}
                      `;
                    })}
                    <text class="label" x=${gi * slot + slot / 2} y=${height - 8} text-anchor="middle">${name}</text>
                  </g>
                `;
              })}
            </svg>
          `;
        }}
      <//>
      <p class="legend" aria-hidden="true">
        ${series.map((s, i) => html`<span><i style=${`background:${COLORS[i % COLORS.length]}`}></i>${s}</span>`)}
      </p>
    </div>
  `;
}

// A game's score over time: x is the time since kick-off (from each event's `recorded_at`), each
// team's score a step line; the final values are labelled at the right end, pushed apart so that
// they never overlap (a tie or a one-point lead puts both lines at nearly the same height).
export function ScoreLine({ events, start, end, team1, team2 }) {
  // Kick-off (a time in ms or an ISO string) is 0 on the axis; what came before it scored nothing.
  const kickOff = typeof start === 'number' ? start : Date.parse(start);
  const all = events
    .map((e) => ({ t: Date.parse(e.recorded_at), a: e.score_team_1, b: e.score_team_2 }))
    .filter((e) => Number.isFinite(e.t))
    .sort((p, q) => p.t - q.t);
  const timed = Number.isFinite(kickOff) ? all.filter((e) => e.t >= kickOff) : all;
  if (!timed.some((e) => e.a || e.b)) return html`<p class="empty">The chart fills in as the game is scored.</p>`;
  const t0 = Number.isFinite(kickOff) ? kickOff : timed[0].t;
  const last = timed[timed.length - 1];
  const tEnd = Math.max(last.t, Number.isFinite(Date.parse(end)) ? Date.parse(end) : 0, t0 + 60_000);
  const span = (tEnd - t0) / 1000;
  const minutes = Math.round((last.t - t0) / 60_000);
  const summary = `Score over the game, ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} after kick-off: ${team1} ${last.a}, ${team2} ${last.b}`;
  return html`
    <div>
      <${ChartFrame}>
        ${(width) => {
          const height = 200;
          const pad = { left: 30, right: 44, top: 14, bottom: 30 };
          const plotRight = width - pad.right;
          const top = Math.max(...timed.flatMap((p) => [p.a, p.b]), 1);
          // Score levels at a whole step, four or five of them; the axis ends on one.
          const every = Math.max(1, Math.ceil(top / 4));
          const max = Math.ceil(top / every) * every;
          const levels = Array.from({ length: max / every + 1 }, (_, i) => i * every);
          const x = (t) => pad.left + ((plotRight - pad.left) * (t - t0)) / (tEnd - t0);
          const y = (v) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / max;
          const step = (key) => {
            let d = `M${x(t0).toFixed(1)},${y(0).toFixed(1)}`;
            for (const p of timed) d += ` H${x(p.t).toFixed(1)} V${y(p[key]).toFixed(1)}`;
            return `${d} H${x(tEnd).toFixed(1)}`;
          };
          const changes = [];
          timed.forEach((p, i) => {
            const before = timed[i - 1] || { a: 0, b: 0 };
            if (p.a !== before.a) changes.push({ t: p.t, v: p.a, team: 0 });
            if (p.b !== before.b) changes.push({ t: p.t, v: p.b, team: 1 });
          });
          const ticks = timeTicks(span, Math.max(3, Math.floor((plotRight - pad.left) / 52)));
          const labels = spread([y(last.a), y(last.b)], 16, pad.top + 6, height - pad.bottom);
          return html`
            <svg class="chart score-chart" viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height}
              role="img" aria-label=${summary} data-testid="score-chart">
              ${levels.map(
                (v) => html`
                  <line key=${`g${v}`} x1=${pad.left} x2=${plotRight} y1=${y(v)} y2=${y(v)}
                    stroke=${v ? '#ece7df' : '#cfc8bd'} />
                  <text key=${`v${v}`} class="axis" x=${pad.left - 8} y=${y(v) + 4} text-anchor="end">${v}</text>
                `,
              )}
              ${ticks.map(
                (seconds) => html`
                  <line key=${`l${seconds}`} x1=${x(t0 + seconds * 1000)} x2=${x(t0 + seconds * 1000)}
                    y1=${y(0)} y2=${y(0) + 4} stroke="#cfc8bd" />
                  <text key=${`t${seconds}`} class="axis tick" data-seconds=${seconds} x=${x(t0 + seconds * 1000)}
                    y=${height - 10} text-anchor="middle">${tickLabel(seconds, ticks[1] - ticks[0])}</text>
                `,
              )}
              <path d=${step('a')} fill="none" stroke=${COLORS[0]} stroke-width="2.5" stroke-linejoin="round" />
              <path d=${step('b')} fill="none" stroke=${COLORS[1]} stroke-width="2.5" stroke-linejoin="round"
                stroke-dasharray="6 3" />
              ${changes.map(
                (c) => html`<circle key=${`${c.t}-${c.team}`} class="change" data-team=${c.team + 1}
                  data-seconds=${Math.round((c.t - t0) / 1000)} cx=${x(c.t)} cy=${y(c.v)} r="3.5" fill=${COLORS[c.team]} />`,
              )}
              ${[last.a, last.b].map(
                (value, i) => html`
                  <g class="end-label" key=${i} data-team=${i + 1}>
                    <rect x=${plotRight + 8} y=${labels[i] - 5} width="10" height="10" rx="2" fill=${COLORS[i]} />
                    <text class="value" x=${plotRight + 22} y=${labels[i] + 4.5}>${value}</text>
                  </g>
                `,
              )}
            </svg>
          `;
        }}
      <//>
      <p class="legend legend-lines" aria-hidden="true">
        <span><i style=${`border-top-color:${COLORS[0]}`}></i>${team1}</span>
        <span><i class="dashed" style=${`border-top-color:${COLORS[1]}`}></i>${team2}</span>
        <span>Minutes since kick-off</span>
      </p>
    </div>
  `;
}

// Tick positions (seconds since the start) at a round step (45 minutes is half a football match,
// 20 a hockey period), at most `most` of them and at least two.
function timeTicks(span, most) {
  const steps = [15, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 10800, 21600, 43200, 86400];
  const fits = steps.find((s) => span / s <= most - 1);
  // On a narrow chart: the largest step within the span (the span is at least a minute).
  const step = fits || [...steps].reverse().find((s) => s <= span) || 60;
  const ticks = [];
  for (let s = 0; s <= span + 1e-6; s += step) ticks.push(s);
  return ticks;
}

// Minutes as a match clock says them (45'), m:ss when the step is under a minute, hours past a
// half-day.
function tickLabel(seconds, step) {
  if (step < 60) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  if (step >= 10800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 60)}'`;
}

// Label positions: each as near its wanted y as it can be, at least `gap` apart, within [low, high].
// Returns the positions in the order given.
function spread(wanted, gap, low, high) {
  const order = wanted.map((y, i) => ({ y, i })).sort((p, q) => p.y - q.y || p.i - q.i);
  for (let k = 0; k < order.length; k += 1) {
    order[k].y = Math.max(order[k].y, low, k ? order[k - 1].y + gap : low);
  }
  for (let k = order.length - 1; k >= 0; k -= 1) {
    order[k].y = Math.min(order[k].y, k < order.length - 1 ? order[k + 1].y - gap : high);
  }
  const placed = [];
  for (const p of order) placed[p.i] = p.y;
  // Centred on where they wanted to be (a tie puts one label above the line, one below), then
  // pushed back inside the bounds.
  const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
  const shift = Math.min(Math.max(mean(wanted) - mean(placed), low - Math.min(...placed)), high - Math.max(...placed));
  return placed.map((y) => y + shift);
}


// Several daily series over the same days, one line each (a time series). days: ['YYYY-MM-DD'],
// series: [{name, values: [n per day]}]. The axis shows the first, middle and last day.
export function LineChart({ days, series, title }) {
  if (!days.length) return html`<p class="empty">No data yet.</p>`;
  const width = 560;
  const height = 220;
  const pad = { left: 34, right: 12, top: 14, bottom: 28 };
  const max = Math.max(...series.flatMap((s) => s.values), 1);
  const step = days.length > 1 ? (width - pad.left - pad.right) / (days.length - 1) : 0;
  const x = (i) => pad.left + step * i;
  const y = (v) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / max;
  const path = (values) => values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
  const totals = series.map((s) => `${s.name} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  const summary = `${title}, ${days[0]} to ${days[days.length - 1]}: in total ${totals}`;
  return html`
    <div>
      <svg class="chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
        <line x1=${pad.left} x2=${width - pad.right} y1=${height - pad.bottom} y2=${height - pad.bottom} stroke="#e2ddd5" />
        <text class="label" x=${pad.left - 6} y=${pad.top + 4} text-anchor="end">${max}</text>
        <text class="label" x=${pad.left - 6} y=${height - pad.bottom} text-anchor="end">0</text>
        ${ticks.map(
          (i) => html`<text class="label" key=${i} x=${x(i)} y=${height - 8}
            text-anchor=${i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'}>${days[i].slice(5)}</text>`,
        )}
        ${series.map(
          (s, si) => html`<path key=${s.name} d=${path(s.values)} fill="none" stroke=${COLORS[si % COLORS.length]}
            stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />`,
        )}
      </svg>
      <p class="legend" aria-hidden="true">
        ${series.map((s, i) => html`<span key=${s.name}><i style=${`background:${COLORS[i % COLORS.length]}`}></i>${s.name}</span>`)}
      </p>
    </div>
  `;
}

// A distribution: one column per bucket, labelled under it (e.g. ratings from 0.5 to 5 stars).
export function Histogram({ buckets, title }) {
  const total = buckets.reduce((a, b) => a + b.value, 0);
  if (!total) return html`<p class="empty">No data yet.</p>`;
  const width = 560;
  const height = 170;
  const bottom = 24;
  const top = 16;
  const max = Math.max(...buckets.map((b) => b.value), 1);
  const slot = width / buckets.length;
  const summary = `${title}: ${buckets.map((b) => `${b.label} ${b.value}`).join(', ')}`;
  return html`
    <svg class="chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
      <line x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#e2ddd5" />
      ${buckets.map((b, i) => {
        const h = ((height - bottom - top) * b.value) / max;
        return html`<g key=${b.label}>
          <rect x=${i * slot + 4} y=${height - bottom - h} width=${slot - 8} height=${h} rx="3" fill=${COLORS[2]} />
          ${b.value ? html`<text x=${i * slot + slot / 2} y=${height - bottom - h - 4} text-anchor="middle">${b.value}</text>` : ''}
          <text class="label" x=${i * slot + slot / 2} y=${height - 6} text-anchor="middle">${b.label}</text>
        </g>`;
      })}
    </svg>
  `;
}
