// Hash routing (#/competitions/3): every page is served by the same index.html.
import { createStore } from './store.js';

function parse(hash) {
  const raw = decodeURI(hash.replace(/^#/, '')) || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(query) };
}

export const route = createStore(parse(location.hash));

window.addEventListener('hashchange', () => route.set(parse(location.hash)));

export function navigate(path) {
  if (location.hash === `#${path}`) route.set(parse(location.hash));
  else location.hash = path;
}

// Find the first pattern ('/competitions/:id') that matches the path; params by name.
export function matchRoute(routes, path) {
  const parts = path.split('/').filter(Boolean);
  for (const entry of routes) {
    const pattern = entry.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    const ok = pattern.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return segment === parts[i];
    });
    if (ok) return { entry, params };
  }
  return null;
}
