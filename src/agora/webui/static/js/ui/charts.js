// Charts drawn as SVG: horizontal bars, grouped bars and a score line. Each has a text summary for
// screen readers (role="img" with a label) since the shapes alone say nothing to them.
import { html } from '../lib/html.js';

const COLORS = ['#2f5d62', '#b8692e', '#6d8fb3', '#8a9a5b'];

function short(value) {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2).replace(/0+$/, '');
}

export function BarChart({ items, title, unit = '' }) {
  if (!items.length) return html`<p class="empty">No data yet.</p>`;
  const width = 560;
  const row = 30;
  const labelWidth = 150;
  const height = items.length * row + 8;
  const max = Math.max(...items.map((i) => i.value), 1);
  const summary = `${title}: ${items.map((i) => `${i.label} ${short(i.value)}${unit}`).join(', ')}`;
  return html`
    <svg class="chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
      ${items.map((item, i) => {
        const y = i * row + 4;
        const barWidth = Math.max(((width - labelWidth - 60) * item.value) / max, 2);
        const name = item.label.length > 20 ? `${item.label.slice(0, 19)}…` : item.label;
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
}

// groups: [{label, values: [n, ...]}], series: names of the values, in order.
export function GroupedBars({ groups, series, title }) {
  if (!groups.length) return html`<p class="empty">No data yet.</p>`;
  const width = 560;
  const height = 220;
  const bottom = 28;
  const top = 18;
  const max = Math.max(...groups.flatMap((g) => g.values), 1);
  const slot = width / groups.length;
  const barWidth = Math.min(28, (slot - 24) / series.length);
  const scale = (v) => ((height - bottom - top) * v) / max;
  const summary = `${title}: ${groups
    .map((g) => `${g.label}: ${series.map((s, i) => `${g.values[i]} ${s}`).join(', ')}`)
    .join('; ')}`;
  return html`
    <div>
      <svg class="chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
        <line x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#e2ddd5" />
        ${groups.map((group, gi) => {
          const start = gi * slot + (slot - barWidth * series.length) / 2;
          return html`
            <g key=${group.label}>
              ${group.values.map((value, si) => {
                const h = Math.max(scale(value), value ? 2 : 0);
                const x = start + si * barWidth;
                return html`
                  <rect x=${x + 2} y=${height - bottom - h} width=${barWidth - 4} height=${h} rx="3"
                    fill=${COLORS[si % COLORS.length]} />
                  <text x=${x + barWidth / 2} y=${height - bottom - h - 4} text-anchor="middle">${short(value)}</text>
                `;
              })}
              <text class="label" x=${gi * slot + slot / 2} y=${height - 8} text-anchor="middle">${group.label}</text>
            </g>
          `;
        })}
      </svg>
      <p class="legend" aria-hidden="true">
        ${series.map((s, i) => html`<span><i style=${`background:${COLORS[i % COLORS.length]}`}></i>${s}</span>`)}
      </p>
    </div>
  `;
}

// The score after each scoring event, one line per team.
export function ScoreLine({ events, team1, team2 }) {
  const points = [{ a: 0, b: 0 }, ...events.map((e) => ({ a: e.score_team_1, b: e.score_team_2 }))];
  if (points.length < 2) return html`<p class="empty">The chart fills in as the game is scored.</p>`;
  const width = 560;
  const height = 180;
  const pad = 24;
  const max = Math.max(...points.flatMap((p) => [p.a, p.b]), 1);
  const x = (i) => pad + ((width - 2 * pad) * i) / (points.length - 1);
  const y = (v) => height - pad - ((height - 2 * pad) * v) / max;
  const line = (key) => points.map((p, i) => `${i ? 'L' : 'M'}${x(i)},${y(p[key])}`).join(' ');
  const last = points[points.length - 1];
  const summary = `Score over the game: ${team1} ${last.a}, ${team2} ${last.b}`;
  return html`
    <div>
      <svg class="chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
        <line x1=${pad} x2=${width - pad} y1=${height - pad} y2=${height - pad} stroke="#e2ddd5" />
        <path d=${line('a')} fill="none" stroke=${COLORS[0]} stroke-width="3" stroke-linejoin="round" />
        <path d=${line('b')} fill="none" stroke=${COLORS[1]} stroke-width="3" stroke-linejoin="round" />
        <text x=${width - pad} y=${y(last.a) - 6} text-anchor="end" class="value">${last.a}</text>
        <text x=${width - pad} y=${y(last.b) + 16} text-anchor="end" class="value">${last.b}</text>
      </svg>
      <p class="legend" aria-hidden="true">
        <span><i style=${`background:${COLORS[0]}`}></i>${team1}</span>
        <span><i style=${`background:${COLORS[1]}`}></i>${team2}</span>
      </p>
    </div>
  `;
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
