// The frame around every page: top bar (brand, sections, connection, bell, user menu) and toasts.
import { html, useEffect, useRef, useState } from '../lib/html.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session, logOut } from '../lib/session.js';
import { inbox } from '../lib/notifications.js';
import { connection, overallState } from '../lib/live.js';
import { dismiss, toasts, toast } from '../lib/toast.js';
import { navigate, route } from '../lib/router.js';
import { Avatar } from './common.js';

const SECTIONS = [
  ['/bookclub', 'Bookclub'],
  ['/competitions', 'Competitions'],
  ['/music', 'Music'],
  ['/timeline', 'Timeline'],
  ['/sports', 'Sports'],
];

const CONNECTION_TEXT = {
  idle: '',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function ConnectionIndicator() {
  const { channels } = useStore(connection);
  const state = overallState(channels);
  return html`
    <span class="conn" data-state=${state} role="status" aria-live="polite" data-testid="connection">
      ${CONNECTION_TEXT[state]}
    </span>
  `;
}

function BellIcon() {
  return html`
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  `;
}

export function Bell() {
  const { unread, rings } = useStore(inbox);
  const [ringing, setRinging] = useState(false);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return undefined;
    }
    setRinging(true);
    const timer = setTimeout(() => setRinging(false), 900);
    return () => clearTimeout(timer);
  }, [rings]);
  const label = unread ? `Notifications, ${unread} unread` : 'Notifications, none unread';
  return html`
    <a
      href="#/notifications"
      class=${`icon-btn bell ${ringing ? 'ringing' : ''}`}
      data-unread=${unread > 0 ? 'true' : 'false'}
      aria-label=${label}
      title=${label}
      data-testid="bell"
    >
      <${BellIcon} />
      ${unread > 0 && html`<span class="count" data-testid="unread-count" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`}
    </a>
  `;
}

function UserMenu({ user }) {
  const [open, setOpen] = useState(false);
  const box = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (event) => {
      if (box.current && !box.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);
  // Escape is handled on the menu itself, from the first render: a listener added by an effect
  // exists only after the next paint, and a quick Escape right after opening would be lost.
  const onKeyDown = (event) => {
    if (open && event.key === 'Escape') {
      setOpen(false);
      box.current?.querySelector('.menu-button')?.focus();
    }
  };
  useEffect(() => route.subscribe(() => setOpen(false)), []);
  const out = () => {
    setOpen(false);
    // The session ends here at once; telling the server (to revoke the refresh token) may take
    // a moment and must not move the person off a page they opened meanwhile.
    const told = logOut();
    toast('You are logged out.');
    navigate('/bookclub');
    return told;
  };
  return html`
    <div class="menu" ref=${box} onKeyDown=${onKeyDown}>
      <button
        class="menu-button"
        type="button"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="user-menu-list"
        onClick=${() => setOpen(!open)}
        data-testid="user-menu"
      >
        <${Avatar} name=${user.username} src=${user.profile_picture} />
        <span class="name">${user.username}</span>
      </button>
      ${open &&
      html`<ul class="menu-list" id="user-menu-list">
        <li class="menu-head">Signed in as <strong>${user.username}</strong>${user.role === 'admin' ? ' (admin)' : ''}</li>
        <li><a href="#/profile">Your profile</a></li>
        <li><a href=${`#/users/${user.user_id}`}>Your posts</a></li>
        <li><a href="#/notifications">Notifications</a></li>
        ${user.role === 'admin' && html`<li><a href="#/admin/requests">Slow and failed requests</a></li>`}
        <li><button type="button" onClick=${out}>Log out</button></li>
      </ul>`}
    </div>
  `;
}

export function TopBar() {
  const { user, status } = useStore(session);
  const { path } = useStore(route);
  return html`
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#/bookclub"><img src="/img/logo.svg" alt="" />Agora</a>
        <nav class="nav" aria-label="Sections">
          ${SECTIONS.map(
            ([href, text]) => html`
              <a href=${`#${href}`} aria-current=${path.startsWith(href) ? 'page' : undefined}>${text}</a>
            `,
          )}
          ${isAdmin(user) &&
          html`<a href="#/insights" aria-current=${path.startsWith('/insights') ? 'page' : undefined}>Insights</a>`}
        </nav>
        <div class="topbar-tools">
          <${ConnectionIndicator} />
          ${user && html`<${Bell} />`}
          ${user && html`<${UserMenu} user=${user} />`}
          ${!user &&
          status !== 'loading' &&
          html`
            <a class="btn btn-ghost btn-sm" href="#/login">Log in</a>
            <a class="btn btn-sm" href="#/signup">Sign up</a>
          `}
        </div>
      </div>
    </header>
  `;
}

export function Toasts() {
  const { items } = useStore(toasts);
  return html`
    <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
      ${items.map(
        (t) => html`<div class=${`toast toast-${t.kind}`} key=${t.id}>
          <span>${t.text}</span>
          <button class="toast-close" type="button" aria-label="Dismiss" onClick=${() => dismiss(t.id)}>×</button>
        </div>`,
      )}
    </div>
  `;
}

export function SkipLink() {
  const skip = () => {
    const target = document.querySelector('[data-page-title]') || document.getElementById('main');
    if (target) target.focus();
  };
  return html`<button class="skip-link" type="button" onClick=${skip}>Skip to content</button>`;
}
