// The album catalog with search, genre rooms, and (for admins) adding an album.
import { html, useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { plural } from '../lib/format.js';
import { Card, Empty, PageHead, Resource, Stars } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { AlbumCover } from '../ui/cover.js';

export function genreSlug(genre) {
  return String(genre).trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function AddAlbum({ onCancel }) {
  const form = useForm({ title: '', artist: '', year: '', genre: '' }, async (values) => {
    const body = { title: values.title, artist: values.artist, genre: values.genre };
    if (String(values.year).trim()) body.year = Number(values.year);
    const album = await post('/users-reviews/albums', body);
    toast(`"${album.title}" is in the catalog.`, { kind: 'success' });
    navigate(`/music/albums/${album.albumId}`);
  });
  return html`
    <${Card} title="Add an album" label="add-album-title">
      <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Add an album">
        <div class="form-row">
          <${Field} form=${form} name="title" label="Title" required />
          <${Field} form=${form} name="artist" label="Artist" required />
        </div>
        <div class="form-row">
          <${Field} form=${form} name="genre" label="Genre" required hint="For example: jazz, rock, hip-hop" />
          <${Field} form=${form} name="year" label="Year" type="number" inputmode="numeric" />
        </div>
        <${FormMessages} form=${form} />
        <div class="form-actions">
          <${Submit} form=${form} busyText="Adding…">Add album<//>
          <button class="btn btn-ghost" type="button" onClick=${onCancel}>Cancel</button>
        </div>
      </form>
    <//>
  `;
}

export function Music({ query }) {
  const { user } = useStore(session);
  const [text, setText] = useState(query.get('q') || '');
  const [search, setSearch] = useState(text);
  const [adding, setAdding] = useState(false);

  // Search as the person types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const albums = useResource(
    () => get(`/users-reviews/albums?limit=60${search ? `&q=${encodeURIComponent(search)}` : ''}`, { auth: false }),
    [search],
  );
  const genres = [...new Set((albums.data?.albums || []).map((a) => a.genre))].sort();

  return html`
    <${PageHead} title="Music" subtitle="Find albums, read what others think, and write your own review.">
      ${isAdmin(user) && !adding && html`<button class="btn" type="button" onClick=${() => setAdding(true)}>Add an album</button>`}
    <//>
    ${adding && html`<div style="margin-bottom:24px"><${AddAlbum} onCancel=${() => setAdding(false)} /></div>`}
    <form class="search" role="search" onSubmit=${(e) => { e.preventDefault(); setSearch(text.trim()); }}>
      <label class="visually-hidden" for="album-search">Search albums</label>
      <input id="album-search" type="search" placeholder="Search by title or artist" value=${text}
        onInput=${(e) => setText(e.currentTarget.value)} />
      <button class="btn btn-secondary" type="submit">Search</button>
    </form>
    ${genres.length > 0 &&
    html`<div class="chips" style="margin:16px 0 4px" aria-label="Genre rooms">
      <span class="muted small" style="align-self:center">Genre rooms:</span>
      ${genres.map((g) => html`<a class="chip" href=${`#/music/genres/${genreSlug(g)}`} key=${g}>${g}</a>`)}
    </div>`}
    <div style="margin-top:18px" aria-live="polite">
      <${Resource} resource=${albums} loadingText="Loading albums…">
        ${(page) =>
          page.albums.length === 0
            ? html`<${Empty}>${search ? `No album matches "${search}".` : 'The catalog is empty so far.'}<//>`
            : html`<div class="cards" data-testid="albums">
                ${page.albums.map(
                  (a) => html`
                    <a class="card card-link album-card" href=${`#/music/albums/${a.albumId}`} key=${a.albumId}>
                      <${AlbumCover} album=${a} />
                      <h3 style="margin-bottom:2px">${a.title}</h3>
                      <p class="muted small" style="margin-bottom:6px">${a.artist}${a.year ? ` · ${a.year}` : ''} · ${a.genre}</p>
                      <div class="row">
                        <${Stars} value=${a.averageRating} />
                        <span class="small muted">${a.averageRating == null ? 'No reviews yet' : `${a.averageRating.toFixed(1)} · ${plural(a.reviewCount, 'review')}`}</span>
                      </div>
                    </a>
                  `,
                )}
              </div>`}
      <//>
    </div>
  `;
}
