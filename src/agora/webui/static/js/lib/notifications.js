// My notifications: the unread count for the bell and the newest items, kept live over
// /notifications/ws for as long as someone is signed in.
import { get, post } from './api.js';
import { LiveChannel } from './live.js';
import { createStore } from './store.js';
import { toast } from './toast.js';

export const inbox = createStore({ unread: 0, items: [], loaded: false, rings: 0 });

let channel = null;
let loading = null;
let queued = [];

async function load() {
  if (loading) return loading;
  loading = (async () => {
    try {
      const page = await get('/notifications?limit=50');
      inbox.set({ unread: page.unread_count, items: page.data, loaded: true });
      const known = new Set(page.data.map((n) => n.notification_id));
      const late = queued.filter((frame) => !known.has(frame.notification.notification_id));
      queued = [];
      late.forEach(apply);
    } catch {
      inbox.set({ loaded: true });
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function apply(frame) {
  const incoming = frame.notification;
  inbox.set((s) => {
    if (s.items.some((n) => n.notification_id === incoming.notification_id)) return s;
    const items = [incoming, ...s.items.filter((n) => n.notification_id !== frame.replaces)];
    // A collapsed notification replaces an unread one: the count stays.
    const unread = s.unread + (incoming.read || frame.replaces ? 0 : 1);
    return { ...s, items, unread, rings: s.rings + 1 };
  });
  toast(incoming.message);
}

function onFrame(frame) {
  if (frame.type === 'notification' && frame.notification) {
    if (loading) queued.push(frame);
    else apply(frame);
  } else if (frame.type === 'ready' || frame.type === 'reload') {
    if (!inbox.get().loaded || frame.type === 'reload') load();
  }
}

export function startInbox() {
  stopInbox();
  channel = new LiveChannel({ path: '/notifications/ws', auth: 'required', onFrame });
  channel.start();
}

export function stopInbox() {
  if (channel) channel.stop();
  channel = null;
  queued = [];
  inbox.set({ unread: 0, items: [], loaded: false, rings: 0 });
}

export async function markRead(id) {
  const result = await post(`/notifications/${id}/read`);
  inbox.set((s) => ({
    ...s,
    unread: result.unread_count,
    items: s.items.map((n) => (n.notification_id === id ? result.data : n)),
  }));
}

export async function markAllRead() {
  await post('/notifications/read-all');
  inbox.set((s) => ({ ...s, unread: 0, items: s.items.map((n) => ({ ...n, read: true })) }));
}

export function refreshInbox() {
  return load();
}
