// Dates, counts and names as people read them.

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

// A stable, calm colour for a name (album art, covers).
export function hue(text) {
  let hash = 0;
  for (const ch of String(text)) hash = (hash * 31 + ch.charCodeAt(0)) % 360;
  return hash;
}
