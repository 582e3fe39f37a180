// One album: its rating summary, the reviews, my review (write, edit, delete) and its live room.
import { html, useState } from '../lib/html.js';
import { del, get, post, put } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { toast } from '../lib/toast.js';
import { plural } from '../lib/format.js';
import { Card, Empty, LoadError, LoginPrompt, PageHead, Person, Resource, StarRating, Stars, Time } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { ChatRoom } from '../ui/chat.js';
import { useRoom } from '../ui/rooms.js';
import { genreSlug } from './music.js';
import { AlbumCover } from '../ui/cover.js';

const STEPS = ['5.0', '4.5', '4.0', '3.5', '3.0', '2.5', '2.0', '1.5', '1.0', '0.5'];

function asRating(value) {
  const text = String(value ?? '').trim();
  if (text === '') return undefined;
  const number = Number(text);
  return Number.isNaN(number) ? text : number;
}

function Distribution({ album }) {
  const max = Math.max(...STEPS.map((s) => album.ratingDistribution[s] || 0), 1);
  return html`
    <${Card} title="Ratings" label="ratings-title">
      <table class="dist" aria-label="How many reviews gave each rating">
        <tbody>
          ${STEPS.map((step) => {
            const count = album.ratingDistribution[step] || 0;
            return html`
              <tr key=${step}>
                <th scope="row">${step}★</th>
                <td aria-hidden="true"><div class="bar"><span style=${`width:${(100 * count) / max}%`}></span></div></td>
                <td style="text-align:right">${count}</td>
              </tr>
            `;
          })}
        </tbody>
      </table>
    <//>
  `;
}

function ReviewForm({ albumId, review, onSaved, onCancel }) {
  const initial = review
    ? { rating: String(review.rating), reviewText: review.reviewText }
    : { rating: '', reviewText: '' };
  const form = useForm(initial, async (values, { reset }) => {
    const body = { reviewText: values.reviewText };
    const rating = asRating(values.rating);
    if (rating !== undefined) body.rating = rating;
    if (review) {
      await put(`/users-reviews/reviews/${review.reviewId}`, body);
      toast('Your review is updated.', { kind: 'success' });
    } else {
      await post('/users-reviews/reviews', { albumId: Number(albumId), ...body });
      reset();
      toast('Thanks for your review!', { kind: 'success' });
    }
    onSaved();
  });
  const rating = form.bind('rating');
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label=${review ? 'Edit your review' : 'Write a review'}>
      <${StarRating} id=${review ? "edit-rating" : "new-rating"} name=${review ? "edit-rating" : "new-rating"} label="Your rating" value=${rating.value}
        error=${rating.error} onChange=${(value) => form.set('rating', value)} />
      <${Field} form=${form} name="reviewText" label="Your review" multiline rows="5"
        hint="What did you think? Up to 5000 characters." />
      <${FormMessages} form=${form} />
      <div class="form-actions">
        <${Submit} form=${form}>${review ? 'Save review' : 'Post review'}<//>
        ${onCancel && html`<button class="btn btn-ghost" type="button" onClick=${onCancel}>Cancel</button>`}
      </div>
    </form>
  `;
}

function MyReview({ review, albumId, onChanged }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState(null);
  const remove = async () => {
    setError(null);
    try {
      await del(`/users-reviews/reviews/${review.reviewId}`);
      toast('Your review is deleted.');
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.summary : String(err));
    }
  };
  if (editing) {
    return html`<${ReviewForm} albumId=${albumId} review=${review} onCancel=${() => setEditing(false)}
      onSaved=${() => { setEditing(false); onChanged(); }} />`;
  }
  return html`
    <div data-testid="my-review">
      <div class="row"><${Stars} value=${review.rating} /> <strong>${review.rating.toFixed(1)}</strong></div>
      ${review.reviewText && html`<p class="prose" style="margin:8px 0 0">${review.reviewText}</p>`}
      <div class="form-actions" style="margin-top:12px">
        <button class="btn btn-secondary btn-sm" type="button" onClick=${() => setEditing(true)}>Edit review</button>
        ${!confirming &&
        html`<button class="btn btn-danger btn-sm" type="button" onClick=${() => setConfirming(true)}>Delete review</button>`}
        ${confirming &&
        html`
          <span role="alert">Delete your review?</span>
          <button class="btn btn-danger-solid btn-sm" type="button" onClick=${remove}>Yes, delete it</button>
          <button class="btn btn-ghost btn-sm" type="button" onClick=${() => setConfirming(false)}>Keep it</button>
        `}
      </div>
      ${error && html`<p class="form-error" role="alert" style="margin-top:10px">${error}</p>`}
    </div>
  `;
}

function AlbumRoom({ albumId, user }) {
  const { room, error, waiting } = useRoom({ kind: 'album', ref: albumId, canOpen: !!user });
  if (room) return html`<${ChatRoom} roomId=${room.roomId} label="Album room messages" />`;
  if (error) return html`<${LoadError} error=${error} />`;
  if (waiting) return html`<p class="loading">Opening the album's room…</p>`;
  return user ? html`<${Empty}>The room is not open yet. Try again in a moment.<//>` : html`<${LoginPrompt}>to join the album's room<//>`;
}

export function Album({ params }) {
  const { user } = useStore(session);
  const id = params.id;
  const album = useResource(() => get(`/users-reviews/albums/${id}`, { auth: false }), [id]);
  const reviews = useResource(
    () => get(`/users-reviews/reviews/album/${id}?limit=100`, { auth: !!user }),
    [id, user?.user_id],
  );
  const changed = () => {
    album.reload();
    reviews.reload();
  };
  const crumbs = html`<a href="#/music">Music</a> › Album`;
  // The API says which review is mine (`my_review`), wherever it is in the list.
  const mine = user && reviews.data?.my_review;

  return html`
    <${Resource} resource=${album} loadingText="Loading the album…">
      ${(a) => html`
        <div class="card hero">
          <div class="hero-art"><${AlbumCover} album=${a} /></div>
          <div class="hero-main">
            <${PageHead} title=${a.title} crumbs=${crumbs}
              subtitle=${html`${a.artist}${a.year ? ` · ${a.year}` : ''} · <a href=${`#/music/genres/${genreSlug(a.genre)}`}>${a.genre}</a>`} />
          </div>
          <div class="hero-rating">
            <span class="rating-big" data-testid="average">${a.averageRating == null ? '–' : a.averageRating.toFixed(1)}</span>
            <div>
              <${Stars} value=${a.averageRating} />
              <div class="small muted" data-testid="review-count">${a.reviewCount ? plural(a.reviewCount, 'review') : 'No reviews yet'}</div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${Card} title=${mine ? 'Your review' : 'Write a review'} label="my-review-title">
              ${!user && html`<${LoginPrompt}>to review this album<//>`}
              ${user && reviews.data && (mine
                ? html`<${MyReview} review=${mine} albumId=${id} onChanged=${changed} />`
                : html`<${ReviewForm} albumId=${id} onSaved=${changed} />`)}
            <//>
            <${Card} title="Reviews" label="reviews-title">
              <${Resource} resource=${reviews} loadingText="Loading reviews…">
                ${(page) =>
                  page.reviews.length === 0
                    ? html`<${Empty}>No reviews yet. Be the first to write one.<//>`
                    : html`<ul class="list" data-testid="reviews">
                        ${page.reviews.map(
                          (r) => html`
                            <li class="review" key=${r.reviewId}>
                              <div class="who">
                                <${Person} id=${r.userId} name=${r.username} />
                                <${Stars} value=${r.rating} />
                                <span class="small muted"><${Time} iso=${r.updatedAt} /></span>
                              </div>
                              ${r.reviewText && html`<p class="prose" style="margin:8px 0 0">${r.reviewText}</p>`}
                            </li>
                          `,
                        )}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${Distribution} album=${a} />
            <${Card} title="Album room" label="album-room-title"><${AlbumRoom} albumId=${id} user=${user} /><//>
          </div>
        </div>
      `}
    <//>
  `;
}
