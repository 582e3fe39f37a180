// A genre's live room, with the catalog's albums of that genre.
import { html } from '../lib/html.js';
import { get } from '../lib/api.js';
import { useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { Card, Empty, LoadError, LoginPrompt, PageHead, Resource, Stars } from '../ui/common.js';
import { ChatRoom } from '../ui/chat.js';
import { Histogram } from '../ui/charts.js';
import { useRoom } from '../ui/rooms.js';
import { genreSlug } from './music.js';

export function Genre({ params }) {
  const { user } = useStore(session);
  const slug = genreSlug(params.genre);
  const { room, error, waiting } = useRoom({ kind: 'genre', ref: slug, canOpen: !!user });
  const albums = useResource(() => get('/users-reviews/albums?limit=200', { auth: false }), []);
  // From the warehouse: every genre's ratings (one request, no 404 for a genre without reviews).
  const ratings = useResource(() => get('/analytics/reviews', { auth: false }), []);
  const crumbs = html`<a href="#/music">Music</a> › Genre`;
  return html`
    <${PageHead} title=${`#${slug}`} crumbs=${crumbs} subtitle=${`Talk about ${slug} music with everyone here now.`} />
    <div class="grid">
      <${Card} title="Genre room" label="genre-room-title">
        ${room && html`<${ChatRoom} roomId=${room.roomId} label="Genre room messages" />`}
        ${!room && error && html`<${LoadError} error=${error} />`}
        ${!room && !error && waiting && html`<p class="loading">Opening the room…</p>`}
        ${!room && !error && !waiting && (user ? html`<${Empty}>This room is not open yet.<//>` : html`<${LoginPrompt}>to join the room<//>`)}
      <//>
      <${Card} title="Albums" label="genre-albums-title">
        <${Resource} resource=${albums}>
          ${(page) => {
            const mine = page.albums.filter((a) => genreSlug(a.genre) === slug);
            return mine.length === 0
              ? html`<${Empty}>No albums in this genre yet.<//>`
              : html`<ul class="list">
                  ${mine.map(
                    (a) => html`<li key=${a.albumId}>
                      <a href=${`#/music/albums/${a.albumId}`}><strong>${a.title}</strong></a>
                      <div class="row small muted">${a.artist} <${Stars} value=${a.averageRating} /></div>
                    </li>`,
                  )}
                </ul>`;
          }}
        <//>
        <h3 style="margin-top:16px">Ratings</h3>
        <${Resource} resource=${ratings}>
          ${(envelope) => {
            const genre = envelope.data.genres.find((g) => genreSlug(g.genre) === slug);
            const halves = Array.from({ length: 10 }, (_, i) => String((i + 1) / 2));
            return genre && genre.reviews
              ? html`<${Histogram} title=${`Reviews of ${slug} albums by stars`}
                  buckets=${halves.map((label, i) => ({ label, value: genre.distribution[i] }))} />
                <p class="muted small">Average ${genre.average_rating}★ over ${genre.reviews} reviews, as of the last refresh.</p>`
              : html`<${Empty}>No ratings counted yet.<//>`;
          }}
        <//>
      <//>
    </div>
  `;
}
