// Sports: live games with moving scores, the schedule, analytics charts, the teams I follow, and
// (for admins) new categories and games.
import { html, useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { canFeed, isAdmin, session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { localInputValue, toIsoInstant } from '../lib/format.js';
import { Card, Empty, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, SelectField, Submit } from '../ui/forms.js';
import { BarChart, GroupedBars } from '../ui/charts.js';
import { GameStatus, LiveScoreCard, TeamFollowButton, useFollowedTeams } from '../ui/sports.js';

const REFRESH_MS = 30_000;
const RANGES = [
  ['all', 'All time'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['4w', 'Last 4 weeks'],
];

function NewCategory({ onDone }) {
  const form = useForm({ category_name: '' }, async (values, { reset }) => {
    const created = await post('/sports/categories', values);
    reset();
    onDone();
    return `"${created.data.category_name}" is added.`;
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="New category">
      <${Field} form=${form} name="category_name" label="Category name" required hint="For example: Football" />
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Adding…">Add category<//></div>
    </form>
  `;
}

function NewGame({ categories }) {
  const start = new Date();
  start.setSeconds(0, 0);
  const form = useForm(
    { category_id: categories[0]?.category_id || '', team_1: '', team_2: '', start_time: localInputValue(start) },
    async (values) => {
      const created = await post('/sports/games', { ...values, start_time: toIsoInstant(values.start_time) });
      toast(`${created.data.team_1} v ${created.data.team_2} is scheduled.`, { kind: 'success' });
      navigate(`/sports/games/${created.data.game_id}`);
    },
    { labels: { team_1: 'the home team', team_2: 'the away team', start_time: 'the start' } },
  );
  if (!categories.length) return html`<p class="muted">Add a category first.</p>`;
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="New game">
      <${SelectField} form=${form} name="category_id" label="Category"
        options=${categories.map((c) => [c.category_id, c.category_name])} />
      <div class="form-row">
        <${Field} form=${form} name="team_1" label="Home team" required />
        <${Field} form=${form} name="team_2" label="Away team" required />
      </div>
      <${Field} form=${form} name="start_time" label="Starts" type="datetime-local" required />
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Scheduling…">Create game<//></div>
    </form>
  `;
}

function Analytics({ category }) {
  const [range, setRange] = useState('all');
  const data = useResource(
    () => get(`/sports/analytics?time_range=${range}${category ? `&sport_category=${encodeURIComponent(category)}` : ''}`, { auth: false }),
    [range, category],
  );
  return html`
    <${Card}
      title="Analytics"
      label="analytics-title"
      actions=${html`
        <label class="visually-hidden" for="range">Time range</label>
        <select id="range" value=${range} onChange=${(e) => setRange(e.currentTarget.value)} style="min-height:34px;padding:4px 8px">
          ${RANGES.map(([value, text]) => html`<option value=${value} selected=${value === range}>${text}</option>`)}
        </select>
      `}
    >
      <${Resource} resource=${data} loadingText="Crunching numbers…">
        ${(envelope) => {
          const a = envelope.data;
          const metric = (report, name) => report.metrics.find((m) => m.metric_name === name)?.value || 0;
          const groups = a.detailed_reports.map((r) => ({
            label: r.report_name.replace(/ \(.*\)$/, ''),
            values: [metric(r, 'games'), metric(r, 'events'), metric(r, 'scoring_events')],
          }));
          return html`
            <p class="muted small" data-testid="analytics-as-of">
              ${a.as_of ? html`As of <${Time} iso=${a.as_of} /> (the warehouse refreshes every few minutes)` : 'Not computed yet: the warehouse has not been refreshed.'}
            </p>
            <div class="stats" style="margin-bottom:16px">
              <div class="stat"><strong>${a.analytics_summary.total_events}</strong><span>games</span></div>
              <div class="stat"><strong>${a.analytics_summary.total_game_events}</strong><span>game events</span></div>
              <div class="stat"><strong>${a.analytics_summary.average_score}</strong><span>average score per team</span></div>
            </div>
            <h3>Top teams by average score</h3>
            <${BarChart} title="Top teams by average score"
              items=${a.analytics_summary.top_teams.map((t) => ({ label: t.team_name, value: t.average_score }))} />
            <h3 style="margin-top:18px">Activity per category</h3>
            <${GroupedBars} title="Activity per category" groups=${groups} series=${['games', 'events', 'scoring events']} />
          `;
        }}
      <//>
    <//>
  `;
}

function FollowedTeams({ user, followed }) {
  const [team, setTeam] = useState('');
  const [error, setError] = useState(null);
  const teams = useResource(() => get('/sports/teams?limit=200', { auth: false }), []);
  const follow = async (event) => {
    event.preventDefault();
    setError(null);
    if (!team.trim()) {
      setError('Type a team name.');
      return;
    }
    try {
      await post('/sports/teams/follow', { team: team.trim() });
      toast(`You follow ${team.trim()}: you will hear about its scores.`);
      setTeam('');
      followed.reload();
    } catch (err) {
      setError(err.summary || String(err));
    }
  };
  if (!user) return html`<${Card} title="Teams you follow"><${LoginPrompt}>to follow teams<//><//>`;
  return html`
    <${Card} title="Teams you follow" label="teams-title">
      <${Resource} resource=${followed}>
        ${(list) =>
          list.length === 0
            ? html`<p class="muted small">You follow no team yet. Their score changes reach your bell.</p>`
            : html`<ul class="list" style="margin-bottom:12px">
                ${list.map((t) => html`<li class="row-between" key=${t.team_id}>
                  <strong>${t.team}</strong>
                  <${TeamFollowButton} team=${t.team} followed=${followed} compact />
                </li>`)}
              </ul>`}
      <//>
      <form class="inline-form" onSubmit=${follow} novalidate>
        <label class="visually-hidden" for="team-name">Team to follow</label>
        <input id="team-name" type="text" list="team-names" placeholder="Team name" value=${team}
          aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? 'team-error' : undefined}
          onInput=${(e) => { setTeam(e.currentTarget.value); setError(null); }} />
        <datalist id="team-names">
          ${(teams.data?.data || []).map((t) => html`<option value=${t.team_name} />`)}
        </datalist>
        <button class="btn btn-secondary" type="submit">Follow</button>
      </form>
      ${error && html`<p class="field-error" id="team-error" role="alert" style="margin-top:6px">${error}</p>`}
    <//>
  `;
}

// Live first, then what is coming up (soonest first), then results (latest first), as a
// scores site lists them; postponed and cancelled games sit with the upcoming ones.
const GROUPS = [
  ['Live', (g) => g.status === 'live' || g.status === 'paused', 1],
  ['Upcoming', (g) => ['scheduled', 'postponed', 'cancelled'].includes(g.status), 1],
  ['Final', (g) => g.status === 'finished', -1],
];

// The schedule's games, each group asked for on its own (however many games were created since):
// the next scheduled ones by start time, the games under way or called off, the latest results.
async function schedule(suffix) {
  const pages = await Promise.all([
    get(`/sports/games?status=scheduled&order=soonest&limit=8&${suffix}`, { auth: false }),
    get(`/sports/games?status=live&status=paused&status=postponed&status=cancelled&limit=12&${suffix}`, { auth: false }),
    get(`/sports/games?status=finished&limit=8&${suffix}`, { auth: false }),
  ]);
  return { data: pages.flatMap((page) => page.data) };
}

function Schedule({ games }) {
  return GROUPS.map(([title, belongs, direction]) => {
    const group = games
      .filter(belongs)
      .sort((a, b) => direction * (Date.parse(a.start_time) - Date.parse(b.start_time)) || a.game_id - b.game_id);
    if (group.length === 0) return null;
    return html`
      <section class="schedule-group" aria-label=${title} data-testid=${`schedule-${title.toLowerCase()}`}>
        <h3 class="small muted">${title}</h3>
        <ul class="list">
          ${group.map((g) => html`
            <li class="row-between" key=${g.game_id}>
              <div>
                <a href=${`#/sports/games/${g.game_id}`}><strong>${g.team_1} v ${g.team_2}</strong></a>
                <div class="small muted">${g.sport_category} · <${Time} iso=${g.start_time} /></div>
              </div>
              <div class="row">
                ${g.status !== 'scheduled' && html`<span class="score" style="font-size:1.1rem">${g.score_team_1} – ${g.score_team_2}</span>`}
                <${GameStatus} game=${g} />
              </div>
            </li>`)}
        </ul>
      </section>
    `;
  });
}

export function Sports({ query }) {
  const { user } = useStore(session);
  const category = query.get('category') || '';
  const categories = useResource(() => get('/sports/categories', { auth: false }), []);
  const suffix = category ? `sport_category=${encodeURIComponent(category)}` : '';
  const ongoing = useResource(() => get(`/sports/ongoing-events?limit=12&${suffix}`, { auth: false }), [category]);
  const games = useResource(() => schedule(suffix), [category]);
  const followed = useFollowedTeams(user);
  const [panel, setPanel] = useState(null);

  // New games go live without a frame on this page's sockets: look again now and then.
  useEffect(() => {
    const timer = setInterval(() => {
      ongoing.reload();
      games.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [category]);

  const cats = categories.data?.data || [];
  return html`
    <${PageHead} title="Sports" subtitle="Live scores, game chat and numbers from every game.">
      ${isAdmin(user) && html`<button class="btn btn-secondary" type="button" aria-expanded=${panel === 'category' ? 'true' : 'false'}
        onClick=${() => setPanel(panel === 'category' ? null : 'category')}>New category</button>`}
      ${canFeed(user) && html`<button class="btn" type="button" aria-expanded=${panel === 'game' ? 'true' : 'false'}
        onClick=${() => setPanel(panel === 'game' ? null : 'game')}>New game</button>`}
    <//>
    ${panel === 'category' && html`<div style="margin-bottom:24px"><${Card} title="New category"><${NewCategory} onDone=${categories.reload} /><//></div>`}
    ${panel === 'game' && html`<div style="margin-bottom:24px"><${Card} title="New game"><${NewGame} categories=${cats} /><//></div>`}
    ${cats.length > 0 &&
    html`<nav class="chips" aria-label="Categories" style="margin-bottom:20px">
      <a class="chip" href="#/sports" aria-current=${category ? undefined : 'page'}>All</a>
      ${cats.map((c) => html`<a class="chip" key=${c.category_id} href=${`#/sports?category=${encodeURIComponent(c.category_name)}`}
        aria-current=${category.toLowerCase() === c.category_name.toLowerCase() ? 'page' : undefined}>${c.category_name}</a>`)}
    </nav>`}
    <div class="grid">
      <div class="stack">
        <section aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          <${Resource} resource=${ongoing} loadingText="Loading live games…">
            ${(envelope) =>
              envelope.data.length === 0
                ? html`<${Empty}>No game is being played right now.<//>`
                : html`<div class="cards" data-testid="live-games">
                    ${envelope.data.map((g) => html`<${LiveScoreCard} key=${g.game_id} initial=${g} />`)}
                  </div>`}
          <//>
        </section>
        <${Analytics} category=${category} />
      </div>
      <div class="stack">
        <${FollowedTeams} user=${user} followed=${followed} />
        <${Card} title="Schedule and results" label="schedule-title">
          <${Resource} resource=${games}>
            ${(page) =>
              page.data.length === 0
                ? html`<${Empty}>No games yet.<//>`
                : html`<${Schedule} games=${page.data} />`}
          <//>
        <//>
      </div>
    </div>
  `;
}
