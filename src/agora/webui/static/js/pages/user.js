// Someone's page: who they are, their posts, and the follow button.
import { html } from '../lib/html.js';
import { get } from '../lib/api.js';
import { useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { Avatar, Badge, Card, Empty, PageHead, Person, Resource, Time } from '../ui/common.js';
import { FollowButton, useFollowings } from '../ui/follow.js';
import { TweetList } from '../ui/tweets.js';

export function People({ page, emptyText }) {
  if (!page.users.length) return html`<${Empty}>${emptyText}<//>`;
  return html`
    <ul class="list">
      ${page.users.map((u) => html`<li key=${u.user_id}><${Person} id=${u.user_id} name=${u.username} /></li>`)}
    </ul>
  `;
}

export function UserPage({ params }) {
  const { user } = useStore(session);
  const id = params.id;
  const profile = useResource(() => get(`/users/profile/${id}`, { auth: false }), [id]);
  const tweets = useResource(() => get(`/tweets/userTimeline/${id}?limit=50`, { auth: false }), [id]);
  const followers = useResource(() => get(`/users/${id}/followers?limit=20`, { auth: false }), [id]);
  const following = useResource(() => get(`/users/${id}/followings?limit=20`, { auth: false }), [id]);
  const mine = useFollowings(user);
  const changed = () => {
    profile.reload();
    followers.reload();
  };
  const removeTweet = (tweetId) =>
    tweets.setData((page) => ({ ...page, tweets: page.tweets.filter((t) => t.tweetId !== tweetId) }));

  return html`
    <${Resource} resource=${profile} loadingText="Loading the profile…">
      ${(p) => html`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${Avatar} name=${p.username} src=${p.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${PageHead} title=${p.username}
                subtitle=${html`Joined <${Time} iso=${p.created_at} time=${false} />${p.role === 'admin' ? html` · <${Badge} kind="primary">Admin<//>` : ''}`}>
                <${FollowButton} user=${user} target=${{ id: p.userId, name: p.username }} followings=${mine} onChange=${changed} />
              <//>
              ${p.bio ? html`<p class="prose">${p.bio}</p>` : html`<p class="muted">No bio yet.</p>`}
              <div class="stats">
                <div class="stat"><strong data-testid="followers-count">${p.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${p.followings_count}</strong><span>following</span></div>
                <div class="stat"><strong>${tweets.data ? tweets.data.tweets.length : '–'}</strong><span>recent posts</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <${Card} title="Posts" label="posts-title">
            <${Resource} resource=${tweets}>
              ${(page) => html`<${TweetList} tweets=${page.tweets} user=${user} onDeleted=${removeTweet}
                empty=${`${p.username} has not posted yet.`} />`}
            <//>
          <//>
          <div class="stack">
            <${Card} title=${`Followers (${p.followers_count})`} label="followers-title">
              <${Resource} resource=${followers}>${(page) => html`<${People} page=${page} emptyText="No followers yet." />`}<//>
            <//>
            <${Card} title=${`Following (${p.followings_count})`} label="following-title">
              <${Resource} resource=${following}>${(page) => html`<${People} page=${page} emptyText="Follows nobody yet." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `;
}
