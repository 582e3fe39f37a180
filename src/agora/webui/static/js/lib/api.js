// JSON over HTTP to the gateway's /api, with the bearer token, one transparent refresh on a 401,
// and errors as ApiError.
import { ApiError, networkError } from './errors.js';
import { refreshTokens, usableTokens } from './tokens.js';

function send(path, { method, body, token, signal, base }) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    // Public lists say `Cache-Control: public, max-age=N` for shared caches (the gateway's,
    // which drops them on every write). The browser must not keep its own copy: it would show a
    // stale list after someone else's change. `no-cache` asks the network every time.
    cache: 'no-cache',
  });
}

// `base` is '' for the gateway's own endpoints (the operators' /admin/...).
export async function api(path, { method = 'GET', body, auth = true, signal, base = '/api' } = {}) {
  let tokens = auth ? await usableTokens() : null;
  let response;
  try {
    response = await send(path, { method, body, token: tokens?.token, signal, base });
    if (response.status === 401 && tokens) {
      tokens = await refreshTokens(tokens.token);
      response = await send(path, { method, body, token: tokens.token, signal, base });
    }
  } catch (error) {
    if (error instanceof ApiError || error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data?.error || { message: response.statusText }, response.headers);
  }
  return data;
}

export const get = (path, options) => api(path, options);
export const post = (path, body, options) => api(path, { ...options, method: 'POST', body });
export const put = (path, body, options) => api(path, { ...options, method: 'PUT', body });
export const patch = (path, body, options) => api(path, { ...options, method: 'PATCH', body });
export const del = (path, body, options) => api(path, { ...options, method: 'DELETE', body });
