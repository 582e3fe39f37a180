// Following people: whom I follow, and the follow / unfollow button.
import { html, useLayoutEffect, useRef, useState } from '../lib/html.js';
import { del, get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useResource } from '../lib/hooks.js';
import { toast } from '../lib/toast.js';
import { Person } from './common.js';

export function useFollowings(user) {
  return useResource(async () => {
    if (!user) return new Set();
    const page = await get(`/users/${user.user_id}/followings?limit=200`);
    return new Set(page.followings.map(String));
  }, [user?.user_id]);
}

export function FollowButton({ user, target, followings, onChange, small = false }) {
  const [busy, setBusy] = useState(false);
  if (!user || !followings.data || String(target.id) === String(user.user_id)) return null;
  const following = followings.data.has(String(target.id));
  const toggle = async () => {
    setBusy(true);
    try {
      if (following) {
        await del(`/users/${user.user_id}/unfollow`, { unfollowUserId: Number(target.id) });
        toast(`You unfollowed ${target.name}.`);
      } else {
        await post(`/users/${user.user_id}/follow`, { followUserId: Number(target.id) });
        toast(`You follow ${target.name} now.`);
      }
      followings.setData((set) => {
        const next = new Set(set);
        if (following) next.delete(String(target.id));
        else next.add(String(target.id));
        return next;
      });
      if (onChange) onChange(!following);
    } catch (error) {
      toast(error instanceof ApiError ? error.summary : String(error));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <button
      class=${`btn ${following ? 'btn-secondary' : ''} ${small ? 'btn-sm' : ''}`}
      type="button"
      aria-pressed=${following ? 'true' : 'false'}
      aria-label=${following ? `Unfollow ${target.name}` : `Follow ${target.name}`}
      disabled=${busy}
      onClick=${toggle}
    >
      ${following ? 'Following' : 'Follow'}
    </button>
  `;
}

function reason(person) {
  const known = person.followed_by_followings;
  if (known > 0) return `Followed by ${known === 1 ? '1 person' : `${known} people`} you follow`;
  if (person.followers_count > 0) {
    return `${person.followers_count} ${person.followers_count === 1 ? 'follower' : 'followers'}`;
  }
  return 'New to Agora';
}

// "Who to follow": people I do not follow yet, best first (GET /users/suggestions). A follow from
// here takes the person off the list at once, fetches the list again (someone else moves up) and
// tells `onFollowed`; the focus goes to the next person's button, or to the heading at the end.
export function WhoToFollow({ user, followings, onFollowed, limit = 5 }) {
  const suggestions = useResource(
    () => (user ? get(`/users/suggestions?limit=${limit}`) : Promise.resolve({ users: [] })),
    [user?.user_id, limit],
  );
  const list = useRef(null);
  const heading = useRef(null);
  const focusAt = useRef(null);
  const people = (suggestions.data?.users || []).filter(
    (p) => !(followings.data && followings.data.has(String(p.user_id))),
  );
  // A layout effect: it runs right after the render it belongs to. An effect runs after the paint,
  // and one still pending when the list re-renders empty ran against the old list (the focus went
  // to a button about to go, then to nothing).
  useLayoutEffect(() => {
    if (focusAt.current === null) return;
    const buttons = list.current ? list.current.querySelectorAll('button') : [];
    const target = buttons[Math.min(focusAt.current, buttons.length - 1)] || heading.current;
    focusAt.current = null;
    if (target) target.focus();
  });
  if (!user) return null;
  return html`
    <section class="card" aria-labelledby="who-to-follow-title" data-testid="who-to-follow">
      <div class="card-head"><h2 id="who-to-follow-title" tabindex="-1" ref=${heading}>Who to follow</h2></div>
      ${suggestions.data === undefined
        ? html`<p class="loading" role="status">Finding people…</p>`
        : people.length === 0
          ? html`<p class="empty">No suggestions right now: you follow everyone we know of.</p>`
          : html`<ul class="list" ref=${list}>
              ${people.map(
                (p, index) => html`<li class="row-between suggestion" key=${p.user_id} data-testid="suggestion">
                  <${Person} id=${p.user_id} name=${p.username} src=${p.profile_picture || undefined}>
                    <span class="small muted suggestion-reason">${reason(p)}</span>
                  <//>
                  <${FollowButton} user=${user} target=${{ id: p.user_id, name: p.username }} followings=${followings} small
                    onChange=${(following) => {
                      if (!following) return;
                      focusAt.current = index;
                      suggestions.reload();
                      if (onFollowed) onFollowed(p);
                    }} />
                </li>`,
              )}
            </ul>`}
    </section>
  `;
}
