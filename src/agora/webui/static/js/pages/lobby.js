// The book of the month's lobby: discussion threads and the live chat room.
import { html, useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { plural } from '../lib/format.js';
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
                    : html`<ul class="list" data-testid="threads">
                        ${data.discussions.map(
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
                      </ul>`}
                  ${!user && html`<div style="margin-top:12px"><${LoginPrompt}>to start a thread<//></div>`}
                <//>
                <${Card} title="Lobby chat" label="lobby-chat-title">
                  ${data.book.roomId
                    ? html`<${ChatRoom} roomId=${data.book.roomId} label="Lobby chat messages" />`
                    : html`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
            `}
    <//>
  `;
}
