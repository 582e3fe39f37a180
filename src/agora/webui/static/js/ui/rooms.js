// Find the chat room of an album, a genre or a game; open it when the API lets members do so.
import { useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';

// Rooms for new albums and games are opened from their events, a moment after they are created.
const TRIES = 12;
const WAIT_MS = 1000;

async function findListed(kind, field, ref) {
  const page = await get(`/forums/rooms?roomType=${kind}&limit=200`, { auth: false });
  return page.rooms.find((room) => String(room[field]) === String(ref)) || null;
}

// spec: { kind: 'album' | 'genre' | 'game', ref, canOpen }
export function useRoom({ kind, ref, canOpen }) {
  const [state, setState] = useState({ room: null, error: null, waiting: true });
  useEffect(() => {
    let cancelled = false;
    let timer = null;
    const field = { album: 'albumId', genre: 'genreId', game: 'gameId' }[kind];
    const attempt = async (n) => {
      try {
        let room = null;
        if (canOpen && kind !== 'game') {
          const body = kind === 'album' ? { roomType: 'album', albumId: ref } : { roomType: 'genre', genreId: ref };
          room = await post('/forums/rooms', body);
        } else {
          room = await findListed(kind, field, ref);
        }
        if (cancelled) return;
        if (room) {
          setState({ room, error: null, waiting: false });
          return;
        }
      } catch (error) {
        if (cancelled) return;
        const retry = error instanceof ApiError && (error.status === 404 || error.status === 409);
        if (!retry) {
          setState({ room: null, error, waiting: false });
          return;
        }
      }
      if (n + 1 >= TRIES) {
        setState({ room: null, error: null, waiting: false });
        return;
      }
      timer = setTimeout(() => attempt(n + 1), WAIT_MS);
    };
    setState({ room: null, error: null, waiting: true });
    attempt(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, ref, canOpen]);
  return state;
}
