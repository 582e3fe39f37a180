// The bookclub: this month's candidates with live counts, the book of the month and its lobby.
import { html, useEffect, useRef, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useForm, useLive, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session } from '../lib/session.js';
import { toast } from '../lib/toast.js';
import { formatDate, formatMonth, plural } from '../lib/format.js';
import { Badge, Card, Empty, LoginPrompt, PageHead, Resource } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { Lobby } from './lobby.js';

// The newest closed poll's winner (read from the poll history, which answers 200 when there is
// none yet, rather than /books/of-the-month's 404).
async function loadBookOfTheMonth() {
  const page = await get('/polls?limit=12', { auth: false });
  const poll = page.polls.find((p) => p.status === 'closed' && p.winner);
  return poll ? { ...poll.winner, month: poll.month } : null;
}

function Candidate({ book, total, mine, canVote, onVote, busy }) {
  const share = total ? Math.round((100 * book.votes) / total) : 0;
  return html`
    <li class=${`candidate ${mine ? 'mine' : ''}`} data-testid="candidate" data-book-id=${book.book_id}>
      <div>
        <h3>${book.title} ${mine && html`<${Badge} kind="primary">Your vote<//>`}</h3>
        <div class="meta">by ${book.author}</div>
        ${book.description && html`<p class="small muted" style="margin:4px 0 0">${book.description}</p>`}
      </div>
      <div class="row" style="justify-content:flex-end">
        <span class="votes" data-testid=${`votes-${book.book_id}`}>${plural(book.votes, 'vote')}</span>
        ${canVote &&
        html`<button
          class=${`btn btn-sm ${mine ? '' : 'btn-secondary'}`}
          type="button"
          aria-pressed=${mine ? 'true' : 'false'}
          aria-disabled=${busy || mine ? 'true' : 'false'}
          onClick=${() => {
            // aria-disabled, not disabled: a disabled button drops the keyboard focus it has.
            if (!busy && !mine) onVote(book);
          }}
          aria-label=${mine ? `You vote for ${book.title}` : `Vote for ${book.title}`}
        >${mine ? 'Voted' : 'Vote'}</button>`}
      </div>
      <div class="bar" aria-hidden="true"><span style=${`width:${share}%`}></span></div>
    </li>
  `;
}

function AddBook({ onAdded }) {
  const [open, setOpen] = useState(false);
  const form = useForm({ title: '', author: '', description: '' }, async (values, { reset }) => {
    const book = await post('/books', values);
    reset();
    onAdded();
    return `"${book.title}" is on the ballot.`;
  });
  if (!open) {
    return html`<button class="btn btn-secondary" type="button" onClick=${() => setOpen(true)}>Add a book</button>`;
  }
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Add a book">
      <h3>Add a book to the ballot</h3>
      <div class="form-row">
        <${Field} form=${form} name="title" label="Title" required />
        <${Field} form=${form} name="author" label="Author" required />
      </div>
      <${Field} form=${form} name="description" label="Description" multiline rows="3" />
      <${FormMessages} form=${form} />
      <div class="form-actions">
        <${Submit} form=${form} busyText="Adding…">Add book<//>
        <button class="btn btn-ghost" type="button" onClick=${() => setOpen(false)}>Done</button>
      </div>
    </form>
  `;
}

function ClosePoll({ poll, onClosed }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await post('/polls/current/close', { poll_id: poll.poll_id });
      toast(result.message, { kind: 'success' });
      setConfirming(false);
      onClosed(result);
    } catch (err) {
      setError(err instanceof ApiError ? err.summary : String(err));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class="stack" style="gap:8px">
      ${!confirming &&
      html`<button class="btn btn-danger" type="button" onClick=${() => setConfirming(true)}>Close the poll</button>`}
      ${confirming &&
      html`
        <p role="alert">Close the ${formatMonth(poll.month)} poll now and choose the book of the month?</p>
        <div class="form-actions">
          <button class="btn btn-danger-solid btn" type="button" disabled=${busy} onClick=${close}>
            ${busy ? 'Closing…' : 'Yes, close the poll'}
          </button>
          <button class="btn btn-ghost" type="button" onClick=${() => setConfirming(false)}>Cancel</button>
        </div>
      `}
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
    </div>
  `;
}

function Ballot({ poll, setPoll, user, reload }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const vote = async (book) => {
    setBusy(true);
    setError(null);
    try {
      const result = await post('/vote', { book_id: book.book_id, poll_id: poll.poll_id });
      setPoll((p) => ({ ...p, my_vote: result.book_id }));
      if (result.outcome === 'moved') toast(`Your vote moved to "${book.title}".`);
      else if (result.outcome === 'created') toast(`You voted for "${book.title}".`);
    } catch (err) {
      setError(err instanceof ApiError ? err.summary : String(err));
      reload();
    } finally {
      setBusy(false);
    }
  };
  // In the order they joined the ballot, not by votes: a live count never moves a row under the
  // pointer or away from the keyboard focus. The bars show the standings.
  const candidates = [...poll.candidates].sort((a, b) => a.book_id - b.book_id);
  return html`
    <${Card}
      title=${`Vote for ${formatMonth(poll.month)}`}
      label="ballot-title"
      actions=${html`<${Badge} kind=${poll.status === 'open' ? 'success' : ''}>${poll.status === 'open' ? `Open until ${formatDate(poll.closes_at)}` : 'Closed'}<//>`}
    >
      <p class="muted small" aria-live="polite" data-testid="total-votes">
        ${plural(poll.total_votes, 'vote')} so far${poll.my_vote ? '' : user ? ' — pick the book you want to read next.' : '.'}
      </p>
      ${candidates.length === 0
        ? html`<${Empty}>No candidates yet.${isAdmin(user) ? ' Add the first book below.' : ' An admin adds them soon.'}<//>`
        : html`<ul class="list">
            ${candidates.map(
              (book) => html`<${Candidate}
                key=${book.book_id}
                book=${book}
                total=${poll.total_votes}
                mine=${poll.my_vote === book.book_id}
                canVote=${!!user && poll.status === 'open'}
                busy=${busy}
                onVote=${vote}
              />`,
            )}
          </ul>`}
      ${error && html`<p class="form-error" role="alert" style="margin-top:12px">${error}</p>`}
      ${!user && html`<div style="margin-top:14px"><${LoginPrompt}>to vote<//></div>`}
    <//>
  `;
}

function BookOfTheMonth({ book }) {
  if (!book) {
    return html`<${Card} title="Book of the month"><${Empty}>No book has been chosen yet. The first poll decides.<//><//>`;
  }
  return html`
    <${Card} title="Book of the month" actions=${html`<${Badge} kind="primary">${formatMonth(book.month)}<//>`}>
      <div class="book-hero" data-testid="book-of-the-month">
        <div class="book-cover" aria-hidden="true">${book.title.charAt(0)}</div>
        <div>
          <h3 style="margin-bottom:2px">${book.title}</h3>
          <p class="muted" style="margin-bottom:6px">by ${book.author}</p>
          ${book.description && html`<p class="small">${book.description}</p>`}
          <p class="small muted">Chosen with ${plural(book.votes, 'vote')}.</p>
        </div>
      </div>
    <//>
  `;
}

// What a signed-out visitor sees first: what Agora is, and what is going on in it right now.
function Welcome({ poll }) {
  const competitions = useResource(() => get('/competitions', { auth: false }), []);
  const games = useResource(() => get('/sports/ongoing-events?limit=12', { auth: false }), []);
  const open = competitions.data?.length;
  const live = games.data?.data?.length;
  return html`
    <section class="card welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome to Agora</h2>
      <p>
        A community for people who read, write, listen and watch. Each month we vote on a book and
        talk it over in its lobby; writers enter competitions that readers' likes decide; music
        lovers review albums and chat in their rooms; sports fans follow games as they are scored.
      </p>
      <ul class="welcome-now" aria-label="Happening now">
        ${poll && html`<li><strong>${plural(poll.total_votes, 'vote')}</strong> cast for ${formatMonth(poll.month)}'s book</li>`}
        ${open !== undefined && html`<li><a href="#/competitions"><strong>${plural(open, 'competition')}</strong> open</a></li>`}
        ${live !== undefined && html`<li><a href="#/sports"><strong>${plural(live, 'game')}</strong> live now</a></li>`}
      </ul>
      <div class="row">
        <a class="btn" href="#/signup">Join Agora</a>
        <a class="btn btn-ghost" href="#/login">Log in</a>
      </div>
    </section>
  `;
}

export function Bookclub() {
  const { user, status } = useStore(session);
  const poll = useResource(() => get('/polls/current'), [user?.user_id]);
  const chosen = useResource(loadBookOfTheMonth, []);
  const [lobbyVersion, setLobbyVersion] = useState(0);

  const refreshAll = () => {
    poll.reload();
    chosen.reload();
    setLobbyVersion((v) => v + 1);
  };

  // The poll the live frames are about, so a reconnect resumes on the same poll's channel.
  const livePoll = useRef(null);
  // Counts that arrived before the poll loaded: newer than the load, so applied once it lands.
  const early = useRef(null);
  useEffect(() => {
    const frame = early.current;
    early.current = null;
    if (frame && poll.data && frame.poll_id === poll.data.poll_id) applyCounts(frame);
  }, [poll.data?.poll_id]);

  const applyCounts = (frame) => {
    const votes = new Map(frame.counts.map((c) => [c.book_id, c.votes]));
    poll.setData((p) => ({
      ...p,
      total_votes: frame.total_votes,
      my_vote: frame.type === 'snapshot' && frame.my_vote !== undefined ? frame.my_vote : p.my_vote,
      candidates: p.candidates.map((c) => ({ ...c, votes: votes.get(c.book_id) ?? c.votes })),
    }));
  };

  useLive(
    {
      path: '/vote/live',
      auth: 'optional',
      params: () => (livePoll.current ? { poll_id: livePoll.current } : {}),
      onFrame: (frame) => {
        if (frame.poll_id) livePoll.current = frame.poll_id;
        const current = poll.data;
        if (frame.type === 'snapshot' || frame.type === 'votes') {
          if (!current) {
            early.current = frame;
            return;
          }
          const known = new Set(current.candidates.map((c) => c.book_id));
          if (frame.poll_id !== current.poll_id) refreshAll();
          else if (frame.counts.some((c) => !known.has(c.book_id))) poll.reload();
          else applyCounts(frame);
        } else if (frame.type === 'closed') {
          livePoll.current = frame.next_poll_id;
          refreshAll();
        } else if (frame.type === 'reload') {
          poll.reload();
        }
      },
    },
    [user?.user_id],
  );

  return html`
    <${PageHead}
      title="Bookclub"
      subtitle="Vote for the book we all read next month, then talk about it in the lobby."
    />
    ${!user && status !== 'loading' && html`<div style="margin-bottom:24px"><${Welcome} poll=${poll.data} /></div>`}
    <div class="grid">
      <div class="stack">
        <${Resource} resource=${poll} loadingText="Loading this month's vote…">
          ${(data) => html`<${Ballot} poll=${data} setPoll=${poll.setData} user=${user} reload=${poll.reload} />`}
        <//>
      </div>
      <div class="stack">
        <${Resource} resource=${chosen}>${(book) => html`<${BookOfTheMonth} book=${book} />`}<//>
        ${isAdmin(user) &&
        poll.data &&
        html`
          <${Card} title="Admin" label="admin-title">
            <div class="stack" style="gap:14px">
              <${AddBook} onAdded=${poll.reload} />
              ${poll.data.status === 'open' && html`<${ClosePoll} poll=${poll.data} onClosed=${refreshAll} />`}
            </div>
          <//>
        `}
      </div>
    </div>
    <div style="margin-top:24px">
      <${Lobby} version=${lobbyVersion} expectBookId=${chosen.data?.book_id} />
    </div>
  `;
}
