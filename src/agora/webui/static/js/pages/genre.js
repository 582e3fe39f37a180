// A genre's live room, with the catalog's albums of that genre.
import { html } from '../lib/html.js';
import { get } from '../lib/api.js';
import { useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { Card, Empty, LoadError, LoginPrompt, PageHead, Resource, Stars } from '../ui/common.js';
import { ChatRoom } from '../ui/chat.js';
import { useRoom } from '../ui/rooms.js';
import { genreSlug } from './music.js';

export function Genre({ params }) {
  const { user } = useStore(session);
  const slug = genreSlug(params.genre);
  const { room, error, waiting } = useRoom({ kind: 'genre', ref: slug, canOpen: !!user });
  const albums = useResource(() => get('/users-reviews/albums?limit=200', { auth: false }), []);
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
      <//>
    </div>
  `;
}
