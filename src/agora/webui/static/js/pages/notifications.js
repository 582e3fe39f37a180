// My notifications, newest first, live; open one to go where it happened.
import { html, useState } from '../lib/html.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { inbox, markAllRead, markRead } from '../lib/notifications.js';
import { navigate } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { plural } from '../lib/format.js';
import { Card, Empty, Loading, LoginPrompt, PageHead, Time } from '../ui/common.js';

const TYPE_NAMES = {
  like: 'Like',
  comment: 'Comment',
  reply: 'Reply',
  placement: 'Results',
  new_submission: 'New entry',
  score_update: 'Score',
  news: 'News',
  follow: 'Follower',
  book_of_the_month: 'Bookclub',
  review: 'Review',
};

// Where a notification points, from the ids its data carries.
function target(n) {
  const d = n.data || {};
  if (d.competition_id) return `/competitions/${d.competition_id}`;
  if (d.thread_id) return `/bookclub/threads/${d.thread_id}`;
  if (d.game_id) return `/sports/games/${d.game_id}`;
  if (d.follower_id) return `/users/${d.follower_id}`;
  if (d.album_id) return `/music/albums/${d.album_id}`;
  if (n.type === 'book_of_the_month') return '/bookclub';
  return null;
}

export function Notifications() {
  const { user } = useStore(session);
  const { items, unread, loaded } = useStore(inbox);
  const [busy, setBusy] = useState(false);

  const open = async (n) => {
    if (!n.read) await markRead(n.notification_id).catch(() => null);
    const path = target(n);
    if (path) navigate(path);
  };
  const readAll = async () => {
    setBusy(true);
    try {
      await markAllRead();
      toast('All caught up.');
    } finally {
      setBusy(false);
    }
  };

  if (!user) {
    return html`<${PageHead} title="Notifications" /><${LoginPrompt}>to see your notifications<//>`;
  }
  return html`
    <${PageHead} title="Notifications" subtitle=${unread ? `${plural(unread, 'unread notification')}.` : 'You are all caught up.'}>
      <button class="btn btn-secondary" type="button" disabled=${busy || !unread} onClick=${readAll}>Mark all as read</button>
    <//>
    <${Card}>
      ${!loaded
        ? html`<${Loading} text="Loading notifications…" />`
        : items.length === 0
          ? html`<${Empty}>Nothing yet. Likes, comments, results and scores of the teams you follow show up here.<//>`
          : html`<ul class="list" data-testid="notifications" aria-live="polite" aria-relevant="additions">
              ${items.map(
                (n) => html`
                  <li class=${`notice ${n.read ? '' : 'unread'}`} key=${n.notification_id} data-testid="notification">
                    <span class="dot" aria-hidden="true"></span>
                    <div class="notice-body">
                      <div class="type-tag">${TYPE_NAMES[n.type] || n.type}${n.read ? '' : html`<span class="visually-hidden"> (unread)</span>`}</div>
                      <div class="notice-text">${n.message}</div>
                      <div class="small muted"><${Time} iso=${n.created_at} /></div>
                    </div>
                    ${(target(n) || !n.read) &&
                    html`<button class="btn btn-ghost btn-sm" type="button" onClick=${() => open(n)}>
                      ${target(n) ? 'Open' : 'Mark read'}
                    </button>`}
                  </li>
                `,
              )}
            </ul>`}
    <//>
  `;
}
