// API errors in words: which field is wrong and why, or what went wrong, never raw JSON.
import { capitalize, fieldLabel } from './format.js';

const REWORDINGS = [
  [/^Field required$/i, () => 'This field is required'],
  [/^String should have at least 1 character$/i, () => 'This field is required'],
  [/^String should have at least (\d+) characters?$/i, (m) => `Use at least ${m[1]} characters`],
  [/^String should have at most (\d+) characters?$/i, (m) => `Use at most ${m[1]} characters`],
  [/^List should have at most (\d+) items?.*$/i, (m) => `Choose at most ${m[1]}`],
  [/^Input should be a valid integer.*$/i, () => 'Enter a whole number'],
  [/^Input should be a valid number.*$/i, () => 'Enter a number'],
  [/^Input should be greater than or equal to (\S+)$/i, (m) => `Must be at least ${m[1]}`],
  [/^Input should be less than or equal to (\S+)$/i, (m) => `Must be at most ${m[1]}`],
  [/^Input should be a valid (datetime|date).*$/i, () => 'Enter a date and time'],
  [/^Input should be a valid boolean.*$/i, () => 'Choose yes or no'],
  [/^value is not a valid email address.*$/i, () => 'Enter a valid email address'],
  [/^is (.*)$/i, (m) => capitalize(m[1])],
];

export function humanize(message) {
  const text = String(message || '').trim();
  for (const [pattern, reword] of REWORDINGS) {
    const match = text.match(pattern);
    if (match) return reword(match);
  }
  return capitalize(text);
}

// "body.rating" → "rating"; "body" (a rule about the whole form) → "".
export function fieldKey(field) {
  const parts = String(field || '').split('.');
  if (['body', 'query', 'path'].includes(parts[0])) parts.shift();
  return parts.join('.');
}

export class ApiError extends Error {
  constructor(status, error = {}, headers = null) {
    super(error.message || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code || 'error';
    this.details = Array.isArray(error.details) ? error.details : [];
    this.retryAfter = headers ? Number(headers.get('Retry-After')) || null : null;
    this.fields = {};
    this.rawFields = {};
    for (const detail of this.details) {
      const key = fieldKey(detail.field);
      if (key in this.fields) continue;
      this.fields[key] = humanize(detail.message);
      this.rawFields[key] = String(detail.message || '');
    }
  }

  // What to tell the person when no field takes the blame.
  get summary() {
    if (this.status === 0) return "Can't reach Agora right now. Check your connection and try again.";
    if (this.status === 429) {
      const wait = this.retryAfter ? ` in ${this.retryAfter} seconds` : ' in a moment';
      return `You're doing that too often. Try again${wait}.`;
    }
    if (this.code === 'session_ended') return 'Your session has ended. Please log in again.';
    if (this.status === 401 && ['unauthorized', 'invalid_token', 'token_expired'].includes(this.code)) {
      return 'Please log in to do that.';
    }
    if (this.status >= 500 && this.status !== 503) {
      return 'Something went wrong on our side. Please try again.';
    }
    if (this.status === 422 && this.details.length) return 'Please correct the highlighted fields.';
    return capitalize(this.message);
  }
}

export function networkError() {
  return new ApiError(0, { code: 'network', message: 'network error' });
}

// Split an error between the form's own fields and a message for the whole form.
// `labels` name the form's fields as the person sees them ({team_1: 'Home team'}), so a rule about
// several fields reads in the form's words.
export function describe(error, knownFields = [], labels = {}) {
  if (!(error instanceof ApiError)) {
    return { fields: {}, summary: `Something went wrong: ${error?.message || error}` };
  }
  const fields = {};
  const leftovers = [];
  // A rule's own words name fields by their API names ("must be after start_date"): say the
  // form's labels instead, and which field it is about ("Closes must be after Opens").
  const inWords = (raw) => humanize(raw.replace(/^Value error, /, '').replace(/\w+/g, (w) => labels[w] || w));
  for (const [key, message] of Object.entries(error.fields)) {
    if (knownFields.includes(key) && labels[key]) {
      const text = inWords(error.rawFields[key]);
      fields[key] = /^Must /.test(text) ? capitalize(`${labels[key]} ${text[0].toLowerCase()}${text.slice(1)}`) : text;
    } else if (knownFields.includes(key)) fields[key] = message;
    else if (key === '') {
      leftovers.push(inWords(error.rawFields[key]));
    }
    else leftovers.push(`${labels[key] || fieldLabel(key)}: ${message}`);
  }
  let summary = null;
  if (leftovers.length) summary = leftovers.join('. ');
  else if (!Object.keys(fields).length) summary = error.summary;
  else summary = Object.keys(fields).length > 1 ? 'Please correct the highlighted fields.' : null;
  return { fields, summary };
}
