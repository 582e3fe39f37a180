// The access and refresh tokens, shared by every tab through localStorage.
//
// A refresh token works once: the users service ends the whole session when one is used twice. So
// only one refresh runs at a time: in this tab, parallel callers share one promise; across tabs, a
// Web Lock serializes them, and a tab that gets the lock after another tab already rotated the
// tokens takes the new ones instead of spending the old refresh token again.
import { ApiError, networkError } from './errors.js';

const KEY = 'agora.session';
const LOCK = 'agora-token-refresh';
// Refresh this long before the access token expires, so requests rarely meet a 401.
const EARLY_MS = 60_000;

const endedListeners = new Set();
let inflight = null;
let timer = null;

export function readTokens() {
  try {
    const tokens = JSON.parse(localStorage.getItem(KEY));
    return tokens && tokens.token && tokens.refresh_token ? tokens : null;
  } catch {
    return null;
  }
}

export function saveTokens(pair) {
  const tokens = {
    token: pair.token,
    refresh_token: pair.refresh_token,
    // Kept in this browser's clock: the server's clock may disagree with it.
    expires_at: Date.now() + Number(pair.expires_in || 900) * 1000,
    user_id: String(pair.user_id),
    username: pair.username,
  };
  localStorage.setItem(KEY, JSON.stringify(tokens));
  scheduleRefresh();
  return tokens;
}

export function clearTokens() {
  localStorage.removeItem(KEY);
  clearTimeout(timer);
}

export function onSessionEnded(listener) {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

function endSession() {
  clearTokens();
  for (const listener of [...endedListeners]) listener();
}

function withLock(task) {
  if (navigator.locks && navigator.locks.request) return navigator.locks.request(LOCK, task);
  return task();
}

async function rotate(staleToken) {
  const stored = readTokens();
  if (!stored) throw new ApiError(401, { code: 'session_ended', message: 'Session ended' });
  if (staleToken && stored.token !== staleToken) return stored;
  let response;
  try {
    response = await fetch('/api/users/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refresh_token: stored.refresh_token }),
    });
  } catch {
    throw networkError();
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    endSession();
    throw new ApiError(401, { code: 'session_ended', message: 'Session ended' });
  }
  if (!response.ok) throw new ApiError(response.status, body.error, response.headers);
  return saveTokens(body);
}

// New tokens for a caller whose `staleToken` was refused (or is about to expire).
export function refreshTokens(staleToken) {
  if (!inflight) {
    inflight = withLock(() => rotate(staleToken)).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

// Tokens good for a request now, refreshed first when close to expiry; null without a session.
export async function usableTokens() {
  const tokens = readTokens();
  if (!tokens) return null;
  if (tokens.expires_at - Date.now() > 15_000) return tokens;
  try {
    return await refreshTokens(tokens.token);
  } catch (error) {
    if (error.code === 'session_ended') return null;
    return tokens;
  }
}

export function scheduleRefresh() {
  clearTimeout(timer);
  const tokens = readTokens();
  if (!tokens) return;
  const wait = Math.max(tokens.expires_at - Date.now() - EARLY_MS, 5_000);
  timer = setTimeout(async () => {
    const current = readTokens();
    if (!current) return;
    if (current.expires_at - Date.now() <= EARLY_MS) {
      await refreshTokens(current.token).catch(() => null);
    }
    scheduleRefresh();
  }, wait);
}
