// My home timeline, live: what the people I follow post appears as they post it.
import { html, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useLive, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { plural } from '../lib/format.js';
import { Card, Empty, LoginPrompt, PageHead, Person, Resource } from '../ui/common.js';
import { FormMessages, Submit } from '../ui/forms.js';
import { FollowButton, WhoToFollow, useFollowings } from '../ui/follow.js';
import { TweetList } from '../ui/tweets.js';

const MAX = 280;

function Compose({ onPosted }) {
  const form = useForm({ content: '' }, async (values, { reset }) => {
    const tweet = await post('/tweets', { content: values.content });
    reset();
    onPosted(tweet);
  });
  const left = MAX - form.values.content.length;
  const bound = form.bind('content');
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="New post">
      <div class="field">
        <label for="compose">What's happening?</label>
        <textarea id="compose" name="content" rows="3" value=${bound.value} onInput=${bound.onInput}
          aria-invalid=${bound.error ? 'true' : undefined}
          aria-describedby=${bound.error ? 'compose-count compose-error' : 'compose-count'} />
        <div class="row-between">
          <span id="compose-count" class=${`counter ${left < 0 ? 'over' : ''}`}>${left} characters left</span>
        </div>
        ${bound.error && html`<span class="field-error" id="compose-error">${bound.error}</span>`}
      </div>
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Posting…">Post<//></div>
    </form>
  `;
}

function FindPeople({ user, followings }) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useResource(
    () => (search ? get(`/users?q=${encodeURIComponent(search)}&limit=10`, { auth: false }) : Promise.resolve(null)),
    [search],
  );
  const people = (found.data?.users || []).filter((u) => u.user_id !== String(user.user_id));
  return html`
    <${Card} title="Find people" label="find-people-title">
      <form class="search" role="search" onSubmit=${(e) => { e.preventDefault(); setSearch(q.trim().toLowerCase()); }}>
        <label class="visually-hidden" for="people-search">Username starts with</label>
        <input id="people-search" type="search" placeholder="Username" value=${q}
          onInput=${(e) => setQ(e.currentTarget.value)} />
        <button class="btn btn-secondary" type="submit">Find</button>
      </form>
      ${found.data &&
      (people.length === 0
        ? html`<p class="muted small" style="margin-top:12px">Nobody found.</p>`
        : html`<ul class="list" style="margin-top:12px">
            ${people.map(
              (p) => html`<li class="row-between" key=${p.user_id}>
                <${Person} id=${p.user_id} name=${p.username} />
                <${FollowButton} user=${user} target=${{ id: p.user_id, name: p.username }} followings=${followings} small />
              </li>`,
            )}
          </ul>`)}
    <//>
  `;
}

export function Timeline() {
  const { user } = useStore(session);
  const followings = useFollowings(user);
  const feed = useResource(
    () => (user ? get(`/tweets/homeTimeline/${user.user_id}?limit=30`) : Promise.resolve(null)),
    [user?.user_id],
  );
  const [older, setOlder] = useState(false);

  const add = (tweet, fresh = true) =>
    feed.setData((page) => {
      if (!page || page.tweets.some((t) => t.tweetId === tweet.tweetId)) return page;
      const tweets = [{ ...tweet, fresh }, ...page.tweets].sort((a, b) => Number(b.tweetId) - Number(a.tweetId));
      return { ...page, tweets };
    });
  const remove = (tweetId) =>
    feed.setData((page) => page && { ...page, tweets: page.tweets.filter((t) => t.tweetId !== String(tweetId)) });

  useLive(
    {
      enabled: !!user,
      path: '/tweets/live',
      auth: 'required',
      onFrame: (frame) => {
        if (frame.type === 'tweet') add(frame);
        else if (frame.type === 'tweet_deleted') remove(frame.tweetId);
        else if (frame.type === 'reload' || frame.type === 'follows_changed') feed.reload();
      },
    },
    [user?.user_id],
  );

  const loadOlder = async () => {
    setOlder(true);
    try {
      const next = await get(`/tweets/homeTimeline/${user.user_id}?limit=30&before=${feed.data.next_cursor}`);
      feed.setData((page) => ({ tweets: [...page.tweets, ...next.tweets], next_cursor: next.next_cursor }));
    } finally {
      setOlder(false);
    }
  };

  if (!user) {
    return html`
      <${PageHead} title="Timeline" subtitle="Short posts from the people you follow, as they happen." />
      <${LoginPrompt}>to see your timeline<//>
    `;
  }
  return html`
    <${PageHead} title="Timeline" subtitle="Short posts from you and the people you follow, as they happen." />
    <div class="grid">
      <div class="stack">
        <${Card}><${Compose} onPosted=${(t) => add(t, false)} /><//>
        <${Card} title="Home" label="home-title">
          <${Resource} resource=${feed} loadingText="Loading your timeline…">
            ${(page) => html`
              <${TweetList} tweets=${page.tweets} user=${user} onDeleted=${remove}
                empty="Nothing here yet. Follow people to fill your timeline." />
              ${page.next_cursor &&
              html`<div style="margin-top:14px"><button class="btn btn-secondary" type="button" disabled=${older}
                onClick=${loadOlder}>${older ? 'Loading…' : 'Load older posts'}</button></div>`}
            `}
          <//>
        <//>
      </div>
      <div class="stack">
        <${WhoToFollow} user=${user} followings=${followings} onFollowed=${() => feed.reload()} />
        <${FindPeople} user=${user} followings=${followings} />
        <${Card} title="You follow" label="you-follow-title">
          ${followings.data && followings.data.size === 0
            ? html`<${Empty}>You don't follow anyone yet.<//>`
            : html`<p class="muted small" style="margin:0">
                ${followings.data ? `${plural(followings.data.size, 'person', 'people')}.` : ''} <a href=${`#/profile`}>See them on your profile</a>.
              </p>`}
        <//>
      </div>
    </div>
  `;
}
