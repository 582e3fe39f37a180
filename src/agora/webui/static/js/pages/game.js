// One game: the scoreboard and events moving live, its chart, its chatroom, following its teams,
// and (for admins and feeders) recording what happens.
import { html } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useLive, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { canFeed, session } from '../lib/session.js';
import { Card, Empty, LoadError, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, SelectField, Submit } from '../ui/forms.js';
import { ChatRoom } from '../ui/chat.js';
import { ScoreLine } from '../ui/charts.js';
import { useRoom } from '../ui/rooms.js';
import { GameStatus, TeamFollowButton, applyGameFrame, useFollowedTeams } from '../ui/sports.js';

const EVENT_TYPES = [
  ['period_start', 'Start a period'],
  ['goal', 'Goal'],
  ['point', 'Points'],
  ['card', 'Card'],
  ['substitution', 'Substitution'],
  ['note', 'Note'],
  ['pause', 'Pause'],
  ['resume', 'Resume'],
  ['period_end', 'End the period'],
  ['final', 'Final whistle'],
  ['postpone', 'Postpone'],
  ['cancel', 'Cancel'],
];
const SCORING = new Set(['goal', 'point']);

function RecordEvent({ game }) {
  const first = game.status === 'scheduled' ? 'period_start' : 'goal';
  const form = useForm(
    { event_type: first, team: 'team_1', points: '', description: '', period: '' },
    async (values, { setValues }) => {
      const body = { event_type: values.event_type };
      if (values.team) body.team = values.team;
      if (String(values.points).trim()) body.points = Number(values.points);
      if (values.description.trim()) body.description = values.description.trim();
      if (values.period.trim()) body.period = values.period.trim();
      const recorded = await post(`/sports/games/${game.game_id}/events`, body);
      setValues((v) => ({ ...v, description: '', points: '', period: '' }));
      return `Recorded: ${recorded.data.event.description}`;
    },
  );
  const type = form.values.event_type;
  const teamOptions = [
    ['', 'No team'],
    ['team_1', game.team_1],
    ['team_2', game.team_2],
  ];
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Record an event">
      <div class="form-row">
        <${SelectField} form=${form} name="event_type" label="What happened" options=${EVENT_TYPES} />
        <${SelectField} form=${form} name="team" label="Team" options=${teamOptions} />
      </div>
      <div class="form-row">
        ${SCORING.has(type) && html`<${Field} form=${form} name="points" label="Points" type="number" min="1" hint="Default 1" />`}
        ${type === 'period_start' && html`<${Field} form=${form} name="period" label="Period name" hint="Default: Period N" />`}
        <${Field} form=${form} name="description" label="Description" hint="Optional" />
      </div>
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Recording…">Record event<//></div>
    </form>
  `;
}

// What each kind of event is called on the timeline, and the mark drawn beside it.
const KINDS = {
  period_start: 'Kick-off',
  goal: 'Goal',
  point: 'Points',
  card: 'Card',
  substitution: 'Substitution',
  note: 'Note',
  pause: 'Paused',
  resume: 'Resumed',
  period_end: 'End of period',
  final: 'Full time',
  postpone: 'Postponed',
  cancel: 'Cancelled',
};

function kindOf(event) {
  if (event.event_type === 'card') {
    if (/\bred\b/i.test(event.description)) return ['Red card', 'card-red'];
    if (/\byellow\b/i.test(event.description)) return ['Yellow card', 'card-yellow'];
  }
  if (event.event_type === 'point') return [`${event.points} ${event.points === 1 ? 'point' : 'points'}`, 'point'];
  return [KINDS[event.event_type] || event.event_type.replace(/_/g, ' '), event.event_type];
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

// The event's time as the match clock says it: the feed's own label ("23'", "Q2 04:10") when it
// sent one, else the minute since kick-off worked out from when it was recorded, else the hour.
function minuteOf(event, kickOff) {
  const at = Date.parse(event.recorded_at);
  const label = event.event_time || '';
  if (label && !/^\d{4}-\d\d-\d\dT/.test(label)) return { text: label, spoken: label };
  if (Number.isFinite(kickOff) && at >= kickOff) {
    const minute = Math.ceil((at - kickOff) / 60_000);
    return { text: `${minute}'`, spoken: `minute ${minute}` };
  }
  const text = Number.isFinite(at) ? clock.format(at) : '';
  return { text, spoken: text };
}

// A score in a description ("Final: A 1–2 B") kept on one line: a line may break after a dash.
function keepScores(text) {
  return text
    .split(/(\d+\s?[–-]\s?\d+)/)
    .map((part, i) => (i % 2 ? html`<span class="nowrap">${part}</span>` : part));
}

// When the game kicked off: its `started_at`, or (on a page opened before kick-off) when the
// first period started.
export function kickOffOf(game, events) {
  const started = Date.parse(game.started_at);
  if (Number.isFinite(started)) return started;
  const first = events.find((e) => e.event_type === 'period_start');
  return first ? Date.parse(first.recorded_at) : NaN;
}

// The game's events in time order, as a match timeline: the home team's on the left, the away
// team's on the right, the rest across the middle; each with its minute and the score after it.
function Timeline({ game, events }) {
  if (!events.length) return html`<${Empty}>Nothing has happened yet.<//>`;
  const kickOff = kickOffOf(game, events);
  const ordered = [...events].sort(
    (a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at) || Number(a.event_id) - Number(b.event_id),
  );
  return html`
    <ol class="timeline" data-testid="events" aria-label="Match timeline, earliest first" aria-live="polite"
      aria-relevant="additions">
      ${ordered.map((e) => {
        const side = e.team === game.team_1 ? 'home' : e.team === game.team_2 ? 'away' : 'neutral';
        const [kind, mark] = kindOf(e);
        const time = minuteOf(e, kickOff);
        const scoring = e.points > 0;
        return html`
          <li key=${e.event_id} class=${`tl-item tl-${side} ${scoring ? 'tl-scoring' : ''}`}
            data-testid="timeline-item" data-kind=${e.event_type}>
            <span class="tl-time" title=${e.recorded_at ? new Date(e.recorded_at).toLocaleString() : undefined}>
              <span aria-hidden="true">${time.text}</span><span class="visually-hidden">${time.spoken}, </span>
            </span>
            <span class=${`tl-mark tl-mark-${mark}`} aria-hidden="true"></span>
            <span class="tl-body">
              <span class="tl-kind">${kind}</span>
              ${side !== 'neutral' && html`<span class="visually-hidden">, ${e.team}</span>`}
              <span class="visually-hidden">: </span>
              <span class="tl-text">${keepScores(e.description)}</span>
            </span>
            <span class="tl-score" data-testid="timeline-score">
              <span class="visually-hidden">, score </span>${e.score_team_1}–${e.score_team_2}
            </span>
          </li>
        `;
      })}
    </ol>
  `;
}

function periodText(game) {
  if (game.status === 'finished') return 'Full time';
  if (game.period_running) return `${game.current_period} in play`;
  return game.current_period || 'Not started';
}

function GameRoom({ gameId }) {
  const { room, error, waiting } = useRoom({ kind: 'game', ref: gameId, canOpen: false });
  if (room) return html`<${ChatRoom} roomId=${room.roomId} label="Game chat messages" />`;
  if (error) return html`<${LoadError} error=${error} />`;
  if (waiting) return html`<p class="loading">Opening the chatroom…</p>`;
  return html`<${Empty}>The chatroom is not open yet.<//>`;
}

export function Game({ params }) {
  const { user } = useStore(session);
  const id = params.id;
  const game = useResource(async () => (await get(`/sports/games/${id}`, { auth: false })).data, [id]);
  const followed = useFollowedTeams(user);

  useLive(
    {
      path: `/sports/games/${id}/live`,
      auth: 'optional',
      onFrame: (frame) => {
        if (frame.type === 'reload') game.reload();
        else game.setData((g) => applyGameFrame(g, frame));
      },
    },
    [id],
  );

  const crumbs = html`<a href="#/sports">Sports</a> › Game`;
  return html`
    <${Resource} resource=${game} loadingText="Loading the game…">
      ${(g) => html`
        <${PageHead} title=${`${g.team_1} v ${g.team_2}`} crumbs=${crumbs}
          subtitle=${html`${g.sport_category} · starts <${Time} iso=${g.start_time} />`} />
        <div class="card scoreboard" style="margin-bottom:24px" data-testid="scoreboard">
          <div class="row-between" style="margin-bottom:10px">
            <${GameStatus} game=${g} />
            <span class="small muted">${periodText(g)}</span>
          </div>
          <div class="scoreline" aria-live="polite">
            <span class="team">${g.team_1}</span>
            <span class="score" data-testid="score">${g.score_team_1} – ${g.score_team_2}</span>
            <span class="team">${g.team_2}</span>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${Card} title="Match timeline" label="events-title">
              <${Timeline} game=${g} events=${g.event_details || []} />
            <//>
            <${Card} title="Score over the game" label="chart-title">
              <${ScoreLine} events=${g.event_details || []} start=${kickOffOf(g, g.event_details || [])}
                end=${g.finished_at} team1=${g.team_1} team2=${g.team_2} />
            <//>
            ${canFeed(user) &&
            !['finished', 'cancelled'].includes(g.status) &&
            html`<${Card} title="Record an event" label="record-title"><${RecordEvent} game=${g} /><//>`}
          </div>
          <div class="stack">
            <${Card} title="Follow the teams" label="follow-teams-title">
              ${user
                ? html`<div class="row">
                    <${TeamFollowButton} team=${g.team_1} followed=${followed} />
                    <${TeamFollowButton} team=${g.team_2} followed=${followed} />
                  </div>
                  <p class="small muted" style="margin:10px 0 0">Score changes of the teams you follow reach your bell.</p>`
                : html`<${LoginPrompt}>to follow these teams<//>`}
            <//>
            <${Card} title="Game chat" label="game-chat-title"><${GameRoom} gameId=${id} /><//>
          </div>
        </div>
      `}
    <//>
  `;
}
