// Following people: whom I follow, and the follow / unfollow button.
import { html, useState } from '../lib/html.js';
import { del, get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useResource } from '../lib/hooks.js';
import { toast } from '../lib/toast.js';

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
