// A live chat room (book lobby, album, genre, game): history over HTTP, then /forums/connect.
import { html, useEffect, useLayoutEffect, useRef, useState } from '../lib/html.js';
import { get } from '../lib/api.js';
import { useLive } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { ConfirmDelete, Loading, LoginPrompt, Time } from './common.js';

const MAX_CHARS = 4000;
let nextClientId = 1;

function fromFrame(frame) {
  return {
    message_id: String(frame.message_id),
    userId: String(frame.userId),
    username: frame.username,
    message: frame.message,
    created_at: frame.created_at,
    edited_at: frame.edited_at,
  };
}

function upsert(list, message) {
  const at = list.findIndex((m) => m.message_id === message.message_id);
  if (at === -1) return [...list, message].sort((a, b) => Number(a.message_id) - Number(b.message_id));
  const next = [...list];
  next[at] = { ...next[at], ...message };
  return next;
}

function Presence({ present, count }) {
  if (!count) return html`<p class="presence">Nobody else is here yet.</p>`;
  const names = present.map((p) => p.username).join(', ');
  const more = count > present.length ? ` and ${count - present.length} more` : '';
  return html`<p class="presence">${count} here now: ${names}${more}</p>`;
}

export function ChatRoom({ roomId, label = 'Live chat' }) {
  const { user } = useStore(session);
  const [messages, setMessages] = useState(null);
  const [presence, setPresence] = useState({ present: [], count: 0 });
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [closed, setClosed] = useState(null);
  const log = useRef(null);
  const stick = useRef(true);
  const inputId = `chat-${roomId}`;

  const loadHistory = async () => {
    try {
      const page = await get(`/forums/rooms/${roomId}/messages?limit=50`, { auth: false });
      setMessages(
        page.messages
          .map((m) => ({ ...m, message_id: String(m.message_id), userId: String(m.userId) }))
          .reverse(),
      );
    } catch {
      setMessages((m) => m || []);
    }
  };

  useEffect(() => {
    setMessages(null);
    setClosed(null);
    loadHistory();
  }, [roomId]);

  const onFrame = (frame) => {
    switch (frame.type) {
      case 'welcome':
      case 'presence':
        setPresence({ present: frame.present || [], count: frame.present_count || 0 });
        break;
      case 'message':
      case 'edited':
        setMessages((list) => upsert(list || [], fromFrame(frame)));
        break;
      case 'deleted':
        setMessages((list) => (list || []).filter((m) => m.message_id !== String(frame.message_id)));
        break;
      case 'error':
        setError(frame.error?.message || 'That message could not be sent.');
        break;
      case 'room_closed':
        setClosed('This room has been closed.');
        break;
      case 'reload':
        loadHistory();
        break;
      default:
        break;
    }
  };

  const channel = useLive(
    {
      enabled: !!user,
      path: '/forums/connect',
      params: () => ({ roomId }),
      auth: 'required',
      onFrame,
      onFinal: () => setClosed('This room is closed.'),
    },
    [roomId, user?.user_id],
  );

  useLayoutEffect(() => {
    const box = log.current;
    if (box && stick.current) box.scrollTop = box.scrollHeight;
  }, [messages]);

  const onScroll = () => {
    const box = log.current;
    stick.current = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  };

  const send = (event) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    if (message.length > MAX_CHARS) {
      setError(`Messages can be at most ${MAX_CHARS} characters.`);
      return;
    }
    const sent = channel.current?.send({ type: 'message', message, client_id: `c${nextClientId++}` });
    if (!sent) {
      setError('Not connected right now; your message was not sent. Try again in a moment.');
      return;
    }
    setError(null);
    setText('');
    stick.current = true;
  };

  const remove = (messageId) => {
    channel.current?.send({ type: 'delete', message_id: messageId, client_id: `c${nextClientId++}` });
  };

  return html`
    <div class="chat" data-testid="chat">
      ${user && !closed && html`<${Presence} ...${presence} />`}
      ${messages === null
        ? html`<${Loading} text="Loading messages…" />`
        : html`
            <div role="log" aria-live="polite" aria-relevant="additions" aria-label=${label}>
            <ol class="chat-log" ref=${log} onScroll=${onScroll} aria-label=${label} tabindex="0">
              ${messages.length === 0 && html`<li class="muted small">No messages yet. Say hello!</li>`}
              ${messages.map(
                (m) => html`
                  <li key=${m.message_id} class=${`chat-msg ${user && m.userId === String(user.user_id) ? 'mine' : ''}`}>
                    <div class="who">
                      <span>${m.username}</span><${Time} iso=${m.created_at} />
                      ${user && m.userId === String(user.user_id) &&
                      html`<${ConfirmDelete} label="Delete this message" question="Delete it?"
                        onConfirm=${() => remove(m.message_id)} />`}
                    </div>
                    <div class="text">${m.message}</div>
                  </li>
                `,
              )}
            </ol>
            </div>
          `}
      ${closed && html`<p class="form-error" role="alert">${closed}</p>`}
      ${!user && html`<${LoginPrompt}>to chat<//>`}
      ${user &&
      !closed &&
      html`
        <form class="chat-send" onSubmit=${send} novalidate>
          <label class="visually-hidden" for=${inputId}>Message</label>
          <input id=${inputId} type="text" value=${text} maxlength=${MAX_CHARS}
            placeholder="Write a message…" autocomplete="off"
            aria-invalid=${error ? 'true' : undefined}
            aria-describedby=${error ? `${inputId}-error` : undefined}
            onInput=${(e) => { setText(e.currentTarget.value); setError(null); }} />
          <button class="btn" type="submit">Send</button>
        </form>
        ${error && html`<p class="field-error" id=${`${inputId}-error`} role="alert">${error}</p>`}
      `}
    </div>
  `;
}
