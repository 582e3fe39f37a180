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

function Events({ events }) {
  if (!events.length) return html`<${Empty}>Nothing has happened yet.<//>`;
  const newest = [...events].reverse();
  return html`
    <ol class="list events" data-testid="events" aria-live="polite">
      ${newest.map(
        (e) => html`
          <li key=${e.event_id}>
            <span class=${`kind ${SCORING.has(e.event_type) ? 'scoring' : ''}`}>${e.event_type.replace('_', ' ')}</span>
            <span>${e.description}<span class="small muted"> · ${e.period || ''}</span></span>
            <span class="at">${e.score_team_1}–${e.score_team_2}</span>
          </li>
        `,
      )}
    </ol>
  `;
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
            <span class="small muted">${g.period_running ? `${g.current_period} in play` : g.current_period || 'Not started'}</span>
          </div>
          <div class="scoreline" aria-live="polite">
            <span class="team">${g.team_1}</span>
            <span class="score" data-testid="score">${g.score_team_1} – ${g.score_team_2}</span>
            <span class="team">${g.team_2}</span>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${Card} title="Events" label="events-title"><${Events} events=${g.event_details || []} /><//>
            <${Card} title="Score over the game" label="chart-title">
              <${ScoreLine} events=${(g.event_details || []).filter((e) => SCORING.has(e.event_type))}
                team1=${g.team_1} team2=${g.team_2} />
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
