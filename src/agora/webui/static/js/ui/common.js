// Small building blocks every page uses: cards, badges, empty and loading states, people.
import { html, useEffect, useRef, useState } from '../lib/html.js';
import { takeFocus } from './focus.js';
import { formatDate, formatExact, formatRelative, initials, minuteClock } from '../lib/format.js';
import { useStore } from '../lib/store.js';
import { ApiError } from '../lib/errors.js';

export function PageHead({ title, subtitle, crumbs, children }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = typeof title === 'string' ? `${title} · Agora` : 'Agora';
  }, [title]);
  useEffect(() => takeFocus(heading.current), []);
  return html`
    <header class="page-head">
      <div>
        ${crumbs && html`<nav class="crumbs" aria-label="Breadcrumb">${crumbs}</nav>`}
        <h1 tabindex="-1" data-page-title ref=${heading}>${title}</h1>
        ${subtitle && html`<p>${subtitle}</p>`}
      </div>
      ${children && html`<div class="row">${children}</div>`}
    </header>
  `;
}

export function Card({ title, level = 2, actions, children, class: extra = '', label }) {
  const Heading = `h${level}`;
  const id = label || undefined;
  return html`
    <section class=${`card ${extra}`} aria-labelledby=${id}>
      ${title &&
      html`<div class="card-head">
        <${Heading} id=${id}>${title}<//>
        ${actions && html`<div class="row">${actions}</div>`}
      </div>`}
      ${children}
    </section>
  `;
}

export function Loading({ text = 'Loading…' }) {
  return html`<p class="loading" role="status">${text}</p>`;
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}

// A failed load, in words, with a way to try again.
export function LoadError({ error, retry }) {
  const text = error instanceof ApiError ? error.summary : 'Something went wrong.';
  return html`
    <div class="form-error" role="alert">
      ${text} ${retry && html`<button class="link-btn" type="button" onClick=${retry}>Try again</button>`}
    </div>
  `;
}

// Loading / error / content, for a useResource() result.
export function Resource({ resource, children, loadingText }) {
  if (resource.data === undefined) {
    if (resource.error) return html`<${LoadError} error=${resource.error} retry=${resource.reload} />`;
    return html`<${Loading} text=${loadingText} />`;
  }
  return children(resource.data);
}

export function Badge({ kind = '', children }) {
  return html`<span class=${`badge ${kind ? `badge-${kind}` : ''}`}>${children}</span>`;
}

// A moment in time. With its time of day it reads relatively ("5 min ago", "yesterday") and keeps
// itself current, minute by minute; the exact date and time is its title (hover, screen readers).
// `time={false}` shows the date alone; `relative={false}` the date and time (the bounds of a
// schedule, where "from yesterday until 20 Jun" would read oddly).
export function Time({ iso, time = true, relative = true }) {
  if (!time || !relative) {
    return html`<time datetime=${iso} title=${formatExact(iso)}>${formatDate(iso, { time })}</time>`;
  }
  return html`<${RelativeTime} iso=${iso} />`;
}

function RelativeTime({ iso }) {
  useStore(minuteClock); // re-render on each minute's tick
  const now = Date.now();
  return html`<time datetime=${iso} title=${formatExact(iso)} data-relative>${formatRelative(iso, now)}</time>`;
}

export function Avatar({ name, src, large = false }) {
  return html`
    <span class=${`avatar ${large ? 'avatar-lg' : ''}`} aria-hidden="true">
      ${src ? html`<img src=${src} alt="" />` : initials(name)}
    </span>
  `;
}

export function Person({ id, name, src, children }) {
  return html`
    <span class="person">
      <${Avatar} name=${name} src=${src} />
      <span>
        ${id ? html`<a href=${`#/users/${id}`}>${name}</a>` : html`<strong>${name}</strong>`}
        ${children}
      </span>
    </span>
  `;
}

export function Stars({ value, label }) {
  const rating = Number(value || 0);
  const text = label || (value == null ? 'Not rated yet' : `${rating.toFixed(1)} out of 5`);
  const star = (n) => {
    if (rating >= n - 0.25) return '';
    if (rating >= n - 0.75) return 'half';
    return 'off';
  };
  return html`
    <span class="stars" role="img" aria-label=${text}>
      ${[1, 2, 3, 4, 5].map((n) => html`<span class=${star(n)}>★</span>`)}
    </span>
  `;
}

// A signed-out visitor's invitation to log in and come back here.
export function LoginPrompt({ children = 'to take part' }) {
  const back = encodeURIComponent(location.hash.replace(/^#/, '') || '/');
  return html`
    <p class="empty">
      <a href=${`#/login?next=${back}`}>Log in</a> or <a href=${`#/signup?next=${back}`}>sign up</a>
      ${' '}${children}.
    </p>
  `;
}

// A delete that asks first: "Delete" turns into the question with "Yes, delete" (focused) and
// "Keep it"; nothing is deleted until the person confirms.
export function ConfirmDelete({ label, question, onConfirm, busy = false }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef(null);
  const ask = useRef(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (asking ? yes : ask).current?.focus();
  }, [asking]);
  if (!asking) {
    return html`<button class="link-btn small" type="button" ref=${ask} aria-label=${label} disabled=${busy}
      onClick=${() => setAsking(true)}>Delete</button>`;
  }
  return html`
    <span class="confirm-delete small" role="group" aria-label=${question}>
      <span>${question}</span>
      <button class="link-btn small danger" type="button" ref=${yes}
        onClick=${() => { setAsking(false); onConfirm(); }}>Yes, delete</button>
      <button class="link-btn small" type="button" onClick=${() => setAsking(false)}>Keep it</button>
    </span>
  `;
}

const RATING_STEPS = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];

export function starsName(value) {
  if (value === 0.5) return 'Half a star';
  return value === 1 ? '1 star' : `${value} stars`;
}

function StarShape() {
  return html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d="M12 1.8l3.1 6.6 7.2.9-5.3 5 1.4 7.1L12 17.9l-6.4 3.5L7 14.3l-5.3-5 7.2-.9z" />
  </svg>`;
}

// Picking a rating from half a star to five: ten real radio buttons (one per half star), so the
// arrow keys move the value, Tab enters and leaves the group, and each has a name ("3.5 stars").
// The mouse previews a value on hover and picks it on click.
export function StarRating({ id, name = 'rating', label, value, onChange, error, hint }) {
  const [hover, setHover] = useState(null);
  const current = Number(value) || 0;
  const shown = hover ?? current;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return html`
    <fieldset class="field star-rating" id=${id} aria-describedby=${described} data-testid="star-rating">
      <legend>${label}</legend>
      <div class="star-rating-row">
        <div class="star-options" onMouseLeave=${() => setHover(null)}>
          ${RATING_STEPS.map((step) => {
            const optionId = `${id}-${step * 2}`;
            const half = step % 1 ? 'left' : 'right';
            return html`
              <span class=${`star-option ${half} ${shown >= step ? 'on' : ''}`} key=${step}
                onMouseEnter=${() => setHover(step)}>
                <input type="radio" id=${optionId} name=${name} value=${String(step)} checked=${current === step}
                  aria-invalid=${error ? 'true' : undefined}
                  onChange=${() => onChange(String(step))} />
                <label for=${optionId}><span class="visually-hidden">${starsName(step)}</span><${StarShape} /></label>
              </span>
            `;
          })}
        </div>
        <span class="star-rating-value" aria-hidden="true" data-testid="rating-value">
          ${current ? `${current.toFixed(1)} / 5` : 'Not rated yet'}
        </span>
      </div>
      ${hint && html`<span class="hint" id=${`${id}-hint`}>${hint}</span>`}
      ${error && html`<span class="field-error" id=${`${id}-error`}>${error}</span>`}
    </fieldset>
  `;
}
