// Pieces of the sports pages: a game's status badge, a live score card, team follows.
import { html, useState } from '../lib/html.js';
import { del, get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useLive, useResource } from '../lib/hooks.js';
import { toast } from '../lib/toast.js';
import { Badge, Time } from './common.js';

const STATUS = {
  live: ['live', 'Live'],
  paused: ['warning', 'Paused'],
  scheduled: ['primary', 'Scheduled'],
  finished: ['', 'Final'],
  postponed: ['warning', 'Postponed'],
  cancelled: ['danger', 'Cancelled'],
};

export function GameStatus({ game }) {
  const [kind, text] = STATUS[game.status] || ['', game.status];
  return html`<${Badge} kind=${kind}>${text}${game.status === 'live' && game.current_period ? ` · ${game.current_period}` : ''}<//>`;
}

// Apply a live frame to a game (`snapshot`, `score`, `event`); returns the new game.
export function applyGameFrame(game, frame) {
  if (frame.type === 'snapshot') return { ...frame.game };
  if (!game) return game;
  if (frame.type === 'score' && frame.version >= (game.version || 0)) {
    return {
      ...game,
      version: frame.version,
      score_team_1: frame.score_team_1,
      score_team_2: frame.score_team_2,
      status: frame.status,
      current_period: frame.current_period,
      period_running: frame.period_running,
    };
  }
  if (frame.type === 'event' && frame.event) {
    const events = game.event_details || [];
    if (events.some((e) => e.event_id === frame.event.event_id)) return game;
    return { ...game, event_details: [...events, frame.event] };
  }
  return game;
}

// A game on a list, its score moving live.
export function LiveScoreCard({ initial }) {
  const [game, setGame] = useState(initial);
  useLive(
    {
      path: `/sports/games/${initial.game_id}/live`,
      auth: 'optional',
      onFrame: (frame) => setGame((g) => applyGameFrame(g, frame)),
    },
    [initial.game_id],
  );
  return html`
    <a class="card card-link score-card" href=${`#/sports/games/${game.game_id}`} data-testid="score-card"
      aria-label=${`${game.team_1} ${game.score_team_1}, ${game.team_2} ${game.score_team_2}, ${game.status}`}>
      <div class="row-between">
        <span class="small muted">${game.sport_category}</span>
        <${GameStatus} game=${game} />
      </div>
      <div class="scoreline">
        <span class="team">${game.team_1}</span>
        <span class="score" data-testid="score">${game.score_team_1} – ${game.score_team_2}</span>
        <span class="team">${game.team_2}</span>
      </div>
      <span class="small muted">Started <${Time} iso=${game.started_at || game.start_time} /></span>
    </a>
  `;
}

export function useFollowedTeams(user) {
  return useResource(async () => {
    if (!user) return [];
    const page = await get('/sports/teams/following?limit=200');
    return page.data;
  }, [user?.user_id]);
}

export function TeamFollowButton({ team, followed, small = true, compact = false }) {
  const [busy, setBusy] = useState(false);
  if (!followed.data) return null;
  const following = followed.data.some((t) => t.team.toLowerCase() === team.toLowerCase());
  const toggle = async () => {
    setBusy(true);
    try {
      if (following) await del('/sports/teams/follow', { team });
      else await post('/sports/teams/follow', { team });
      toast(following ? `You unfollowed ${team}.` : `You follow ${team}: you will hear about its scores.`);
      await followed.reload();
    } catch (error) {
      toast(error instanceof ApiError ? error.summary : String(error));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <button class=${`btn btn-secondary ${small ? 'btn-sm' : ''}`} type="button" disabled=${busy}
      aria-pressed=${following ? 'true' : 'false'} onClick=${toggle}
      aria-label=${following ? `Unfollow ${team}` : `Follow ${team}`}>
      ${compact ? (following ? 'Unfollow' : 'Follow') : following ? `Following ${team}` : `Follow ${team}`}
    </button>
  `;
}
