// Who is signed in: the profile behind the stored tokens, kept in step across tabs.
import { get, post } from './api.js';
import { ApiError } from './errors.js';
import { createStore } from './store.js';
import { toast } from './toast.js';
import { clearTokens, onSessionEnded, readTokens, saveTokens, scheduleRefresh } from './tokens.js';

const TOKENS_KEY = 'agora.session';

// status: 'loading' while the profile is fetched, then 'ready' (user set) or 'anonymous'.
export const session = createStore({ status: 'loading', user: null });

export const isAdmin = (user) => user?.role === 'admin';
export const canFeed = (user) => user?.role === 'admin' || user?.role === 'feeder';

export async function loadProfile() {
  if (!readTokens()) {
    session.set({ status: 'anonymous', user: null });
    return null;
  }
  try {
    const user = await get('/users/profile');
    session.set({ status: 'ready', user });
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clearTokens();
      session.set({ status: 'anonymous', user: null });
      return null;
    }
    // The server is unreachable: keep the tokens and show what can be shown.
    const tokens = readTokens();
    session.set({
      status: 'ready',
      user: { user_id: tokens.user_id, userId: tokens.user_id, username: tokens.username },
    });
    return null;
  }
}

export async function logIn(login, password) {
  const field = login.includes('@') ? 'email' : 'username';
  const pair = await post('/users/login', { [field]: login, password }, { auth: false });
  saveTokens(pair);
  return loadProfile();
}

export async function signUp({ username, email, password }) {
  const body = { username, password };
  if (email) body.email = email;
  await post('/users/register', body, { auth: false });
  return logIn(username, password);
}

export async function logOut() {
  const tokens = readTokens();
  clearTokens();
  session.set({ status: 'anonymous', user: null });
  if (tokens) {
    await post('/users/logout', { refresh_token: tokens.refresh_token }, { auth: false }).catch(
      () => null,
    );
  }
}

export function setUser(user) {
  session.set((s) => ({ ...s, user: { ...s.user, ...user } }));
}

export function startSession() {
  onSessionEnded(() => {
    session.set({ status: 'anonymous', user: null });
    toast('Your session has ended. Please log in again.');
  });
  // Another tab logged in, out, or rotated the tokens.
  window.addEventListener('storage', (event) => {
    if (event.key !== TOKENS_KEY && event.key !== null) return;
    const tokens = readTokens();
    const current = session.get().user;
    if (!tokens) {
      if (current) session.set({ status: 'anonymous', user: null });
    } else if (!current || String(current.user_id) !== String(tokens.user_id)) {
      loadProfile();
    } else {
      scheduleRefresh();
    }
  });
  scheduleRefresh();
  return loadProfile();
}
