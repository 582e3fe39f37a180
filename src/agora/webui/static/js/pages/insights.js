// Insights (admins): how the community is doing, from the warehouse — activity day by day, the
// best-rated albums and genres, the most followed members, competitions and books of the month.
import { html, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session } from '../lib/session.js';
import { toast } from '../lib/toast.js';
import { formatMonth } from '../lib/format.js';
import { Card, Empty, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';
import { BarChart, GroupedBars, Histogram, LineChart } from '../ui/charts.js';

const SPANS = [
  [7, 'Last 7 days'],
  [30, 'Last 30 days'],
  [90, 'Last 90 days'],
];
const ACTIVITY = [
  ['active_users', 'active members'],
  ['new_users', 'new members'],
];
const CONTENT = [
  ['posts', 'posts'],
  ['reviews', 'reviews'],
  ['votes', 'votes'],
  ['entries', 'entries'],
  ['likes', 'likes'],
  ['chat_messages', 'chat messages'],
];
const HALVES = Array.from({ length: 10 }, (_, i) => String((i + 1) / 2));

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function series(daily, names) {
  return names.map(([key, name]) => ({ name, values: daily[key] }));
}

function Refresh({ onDone }) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const stats = (await post('/analytics/refresh')).data;
      toast(`Refreshed: ${stats.rows_changed} rows changed in ${stats.seconds.toFixed(2)} s.`, { kind: 'success' });
      onDone();
    } catch (err) {
      toast(err.summary || String(err), { kind: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return html`<button class="btn btn-sm" type="button" onClick=${run} disabled=${busy} data-testid="refresh">
    ${busy ? 'Refreshing…' : 'Refresh now'}
  </button>`;
}

function Overview({ data }) {
  const daily = data.daily;
  const totals = CONTENT.map(([key, name]) => [name, daily[key].reduce((a, b) => a + b, 0)]);
  const genre = data.genres.map((g) => ({ label: g.genre, value: g.average_rating }));
  const all = HALVES.map((label, i) => ({
    label,
    value: data.genres.reduce((sum, g) => sum + g.distribution[i], 0),
  }));
  return html`
    <div class="stats" style="margin-bottom:16px">
      ${totals.map(([name, n]) => html`<div class="stat" key=${name}><strong>${n}</strong><span>${name}</span></div>`)}
    </div>
    <div class="grid insights">
      <${Card} title="Members, day by day" label="members-title">
        <${LineChart} title="Members, day by day" days=${daily.days} series=${series(daily, ACTIVITY)} />
      <//>
      <${Card} title="Activity, day by day" label="activity-title">
        <${LineChart} title="Activity, day by day" days=${daily.days} series=${series(daily, CONTENT.slice(0, 4))} />
      <//>
      <${Card} title="Best-rated albums" label="albums-title">
        <${BarChart} title="Best-rated albums" unit="★"
          items=${data.top_albums.map((a) => ({ label: a.title, value: a.average_rating }))} />
      <//>
      <${Card} title="Ratings" label="ratings-title">
        <h3>Average per genre</h3>
        <${BarChart} title="Average rating per genre" unit="★" items=${genre} />
        <h3 style="margin-top:14px">All reviews by stars</h3>
        <${Histogram} title="Reviews by rating" buckets=${all} />
      <//>
      <${Card} title="Most followed members" label="followed-title">
        <${BarChart} title="Most followed members"
          items=${data.most_followed.map((u) => ({ label: `member #${u.user_id}`, value: u.followers }))} />
      <//>
      <${Card} title="Competitions" label="competitions-title">
        <${GroupedBars} title="Competition participation" series=${['entries', 'entrants', 'likes', 'comments']}
          groups=${data.competitions.map((c) => ({ label: c.title.slice(0, 18), values: [c.entries, c.entrants, c.likes, c.comments] }))} />
      <//>
      <${Card} title="Books of the month" label="books-title">
        ${data.books_of_the_month.length === 0
          ? html`<${Empty}>No poll has closed yet.<//>`
          : html`<ul class="list">
              ${data.books_of_the_month.map(
                (b) => html`<li class="row-between" key=${b.poll_id}>
                  <span><strong>${b.title}</strong> · ${b.author}</span>
                  <span class="muted small">${formatMonth(b.month)} · ${b.votes} of ${b.total_votes} votes</span>
                </li>`,
              )}
            </ul>`}
      <//>
    </div>
  `;
}

export function Insights() {
  const { user } = useStore(session);
  const [days, setDays] = useState(30);
  // The server's "today" (the last day of its default 30 days) anchors the other periods.
  const [anchor, setAnchor] = useState(null);
  const data = useResource(async () => {
    if (!isAdmin(user)) return null;
    if (!anchor) {
      const first = await get('/analytics/overview');
      setAnchor(first.data.to);
      if (days === 30) return first;
    }
    const to = anchor || (await get('/analytics/overview')).data.to;
    const from = isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000));
    return get(`/analytics/overview?from=${from}&to=${to}`);
  }, [days, user?.user_id]);
  if (!user) return html`<${PageHead} title="Insights" /><${LoginPrompt}>as an admin to see insights<//>`;
  if (!isAdmin(user)) {
    return html`<${PageHead} title="Insights" /><${Empty}>Insights are for admins.<//>`;
  }
  return html`
    <${PageHead} title="Insights" subtitle="How the community is doing, from the warehouse.">
      <label class="visually-hidden" for="span">Period</label>
      <select id="span" value=${days} onChange=${(e) => setDays(Number(e.currentTarget.value))} style="min-height:34px;padding:4px 8px">
        ${SPANS.map(([n, text]) => html`<option value=${n} selected=${n === days}>${text}</option>`)}
      </select>
      <${Refresh} onDone=${data.reload} />
    <//>
    <${Resource} resource=${data} loadingText="Reading the warehouse…">
      ${(envelope) => html`
        <p class="muted small" data-testid="as-of">
          ${envelope.data.as_of ? html`As of <${Time} iso=${envelope.data.as_of} />` : 'The warehouse has not been refreshed yet.'}
        </p>
        <${Overview} data=${envelope.data} />
      `}
    <//>
  `;
}
