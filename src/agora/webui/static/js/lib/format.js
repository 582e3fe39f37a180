// Dates, counts and names as people read them.
import { createStore } from './store.js';

const thisYear = new Date().getFullYear();

export function formatDate(iso, { time = true } = {}) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options = { day: 'numeric', month: 'short' };
  if (date.getFullYear() !== thisYear) options.year = 'numeric';
  if (time) Object.assign(options, { hour: '2-digit', minute: '2-digit' });
  return new Intl.DateTimeFormat(undefined, options).format(date);
}

// The full date and time, for a tooltip: "Monday, 15 June 2026 at 09:00".
export function formatExact(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

// How long ago, as people say it: "just now", "5 min ago", "3 hours ago", "yesterday", then the
// date ("12 Jun", with the year when it is not this year). A time still to come (a deadline, a
// start) is given as its date and time: "in 3 days" hides the hour that matters.
export function formatRelative(iso, now = Date.now()) {
  if (!iso) return '';
  const date = new Date(iso);
  const at = date.getTime();
  if (Number.isNaN(at)) return '';
  const ago = now - at;
  if (ago < -MINUTE) return formatDate(iso);
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  const today = startOfDay(new Date(now));
  const hours = Math.floor(ago / HOUR);
  if (at >= today || hours < 6) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  if (startOfDay(date) === startOfDay(new Date(today - 12 * HOUR))) return 'yesterday';
  return formatDate(iso, { time: false });
}

// One clock for every relative time on the page: it ticks at the start of each minute (and when
// the tab comes back into view), and only the components showing a time re-render.
export const minuteClock = createStore({ now: Date.now() });
function tick() {
  minuteClock.set({ now: Date.now() });
}
function scheduleTick() {
  setTimeout(() => {
    tick();
    scheduleTick();
  }, MINUTE - (Date.now() % MINUTE) + 50);
}
if (typeof window !== 'undefined') {
  scheduleTick();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') tick();
  });
}

// "2026-11" → "November 2026".
export function formatMonth(month) {
  const [year, number] = String(month || '').split('-').map(Number);
  if (!year || !number) return month || '';
  const date = new Date(Date.UTC(year, number - 1, 1));
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export function plural(count, word, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}

export function initials(name) {
  return (name || '?').replace(/[^a-z0-9]/gi, '').slice(0, 2) || '?';
}

// "reviewText" → "Review text", "team_1" → "Team 1".
export function fieldLabel(name) {
  const words = String(name)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function capitalize(text) {
  const value = String(text || '');
  return value.charAt(0).toUpperCase() + value.slice(1);
}

// A value for <input type="datetime-local"> in the browser's time zone.
export function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

// <input type="datetime-local"> gives local time without a zone; the API wants an instant.
export function toIsoInstant(localValue) {
  if (!localValue) return localValue;
  const date = new Date(localValue);
  return Number.isNaN(date.getTime()) ? localValue : date.toISOString();
}

// A stable 32-bit hash of a text (FNV-1a): the seed of generated pictures such as album covers.
export function hashOf(text) {
  let hash = 0x811c9dc5;
  for (const ch of String(text)) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
