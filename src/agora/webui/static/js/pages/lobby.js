// The book of the month's lobby: discussion threads and the live chat room.
import { html, useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { formatMonth, plural } from '../lib/format.js';
import { Card, Empty, LoginPrompt, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { ChatRoom } from '../ui/chat.js';

// The lobby opens from the poll's closing event, a moment after the close: look again a few times.
const RETRIES = 15;
const RETRY_MS = 1000;

function NewThread({ onCreated }) {
  const [open, setOpen] = useState(false);
  const form = useForm({ title: '', content: '' }, async (values) => {
    const created = await post('/discussion', values);
    onCreated(created.thread_id);
  });
  if (!open) {
    return html`<button class="btn btn-secondary btn-sm" type="button" onClick=${() => setOpen(true)}>Start a thread</button>`;
  }
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Start a thread">
      <${Field} form=${form} name="title" label="Thread title" required />
      <${Field} form=${form} name="content" label="What do you want to say?" multiline rows="4" required />
      <${FormMessages} form=${form} />
      <div class="form-actions">
        <${Submit} form=${form} busyText="Posting…">Post thread<//>
        <button class="btn btn-ghost" type="button" onClick=${() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  `;
}

function ThreadList({ threads }) {
  return html`<ul class="list" data-testid="threads">
    ${threads.map(
      (t) => html`
        <li key=${t.thread_id}>
          <a href=${`#/bookclub/threads/${t.thread_id}`}><strong>${t.title}</strong></a>
          <div class="small muted">
            by ${t.author} · ${plural(t.replies, 'reply', 'replies')} · last activity
            ${' '}<${Time} iso=${t.last_activity_at} />
          </div>
        </li>
      `,
    )}
  </ul>`;
}

// One earlier month's lobby, loaded when opened.
function PastLobby({ poll }) {
  const [open, setOpen] = useState(false);
  const threads = useResource(
    () => (open ? get(`/discussions?book_id=${poll.winner.book_id}&limit=50`, { auth: false }) : Promise.resolve(null)),
    [open, poll.winner.book_id],
  );
  return html`
    <li>
      <details data-testid="past-lobby" onToggle=${(event) => setOpen(event.currentTarget.open)}>
        <summary><strong>${formatMonth(poll.month)}</strong>: ${poll.winner.title} <span class="muted">by ${poll.winner.author}</span></summary>
        ${open &&
        html`<${Resource} resource=${threads} loadingText="Loading its threads…">
          ${(page) =>
            !page || page.discussions.length === 0
              ? html`<${Empty}>Nobody started a thread that month.<//>`
              : html`<${ThreadList} threads=${page.discussions} />`}
        <//>`}
      </details>
    </li>
  `;
}

// Earlier books of the month, newest first: their lobbies stay readable.
function PastLobbies({ currentBookId, version }) {
  const polls = useResource(() => get('/polls?limit=24', { auth: false }), [version]);
  const past = (polls.data?.polls || []).filter(
    (p) => p.status === 'closed' && p.winner && p.winner.book_id !== currentBookId,
  );
  if (past.length === 0) return null;
  return html`
    <${Card} title="Earlier months" label="past-lobbies-title">
      <ul class="list">${past.map((p) => html`<${PastLobby} key=${p.poll_id} poll=${p} />`)}</ul>
    <//>
  `;
}

export function Lobby({ version, expectBookId }) {
  const { user } = useStore(session);
  const lobby = useResource(() => get('/discussions?limit=30', { auth: false }), [version]);
  const [tries, setTries] = useState(0);

  const book = lobby.data?.book;
  const waiting =
    lobby.data && ((expectBookId && book?.book_id !== expectBookId) || (book && !book.roomId));
  useEffect(() => {
    if (!waiting || tries >= RETRIES) return undefined;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      lobby.reload();
    }, RETRY_MS);
    return () => clearTimeout(timer);
  }, [waiting, tries]);

  return html`
    <${Resource} resource=${lobby} loadingText="Loading the lobby…">
      ${(data) =>
        !data.book
          ? html`<${Card} title="The lobby"><${Empty}>The lobby opens when the first book of the month is chosen.<//><//>`
          : html`
              <div class="grid">
                <${Card}
                  title=${`Lobby: ${data.book.title}`}
                  label="lobby-title"
                  actions=${user && html`<${NewThread} onCreated=${(id) => navigate(`/bookclub/threads/${id}`)} />`}
                >
                  ${data.discussions.length === 0
                    ? html`<${Empty}>No threads yet. Start the first one!<//>`
                    : html`<${ThreadList} threads=${data.discussions} />`}
                  ${!user && html`<div style="margin-top:12px"><${LoginPrompt}>to start a thread<//></div>`}
                <//>
                <${Card} title="Lobby chat" label="lobby-chat-title">
                  ${data.book.roomId
                    ? html`<${ChatRoom} roomId=${data.book.roomId} label="Lobby chat messages" />`
                    : html`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
              <div style="margin-top:24px"><${PastLobbies} currentBookId=${data.book.book_id} version=${version} /></div>
            `}
    <//>
  `;
}
