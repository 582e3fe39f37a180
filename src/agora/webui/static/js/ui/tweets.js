// A list of tweets, with delete on my own.
import { html, useState } from '../lib/html.js';
import { del } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { toast } from '../lib/toast.js';
import { Avatar, ConfirmDelete, Empty, Time } from './common.js';

function Tweet({ tweet, user, onDeleted }) {
  const [busy, setBusy] = useState(false);
  const mine = user && tweet.userId === String(user.user_id);
  const remove = async () => {
    setBusy(true);
    try {
      await del(`/tweets/${tweet.tweetId}`);
      onDeleted(tweet.tweetId);
      toast('Your post is deleted.');
    } catch (error) {
      toast(error instanceof ApiError ? error.summary : String(error));
      setBusy(false);
    }
  };
  return html`
    <li class=${`tweet ${tweet.fresh ? 'fresh' : ''}`} data-testid="tweet" data-tweet-id=${tweet.tweetId}>
      <${Avatar} name=${tweet.username} />
      <div class="tweet-body">
        <div class="tweet-head">
          <a href=${`#/users/${tweet.userId}`}>${tweet.username}</a>
          <span class="small muted"><${Time} iso=${tweet.timestamp} /></span>
          ${mine &&
          html`<${ConfirmDelete} label="Delete this post" question="Delete this post?" busy=${busy}
            onConfirm=${remove} />`}
        </div>
        <p class="tweet-text">${tweet.content}</p>
      </div>
    </li>
  `;
}

export function TweetList({ tweets, user, onDeleted, empty = 'Nothing here yet.' }) {
  if (!tweets.length) return html`<${Empty}>${empty}<//>`;
  return html`
    <ul class="list" data-testid="tweets" aria-live="polite" aria-relevant="additions">
      ${tweets.map((t) => html`<${Tweet} key=${t.tweetId} tweet=${t} user=${user} onDeleted=${onDeleted} />`)}
    </ul>
  `;
}
