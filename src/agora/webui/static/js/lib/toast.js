// Short messages at the corner of the screen (read out by screen readers through aria-live).
import { createStore } from './store.js';

export const toasts = createStore({ items: [] });
let nextId = 1;

export function dismiss(id) {
  toasts.set((s) => ({ items: s.items.filter((t) => t.id !== id) }));
}

export function toast(text, { kind = 'info', ms = 3500 } = {}) {
  const id = nextId++;
  toasts.set((s) => ({ items: [...s.items, { id, text, kind }].slice(-4) }));
  setTimeout(() => dismiss(id), ms);
}
