// WebSockets that stay up: reconnect with backoff, resume from the last offset and epoch the
// server sent (`since`/`epoch`), refresh the token on a 4401 close, and report their state to the
// connection indicator. A signed-in socket carries a single-use ticket, fetched with the token in a
// header just before each connect: the token itself never goes into a URL (URLs end up in logs).
import { post } from './api.js';
import { createStore } from './store.js';
import { toast } from './toast.js';
import { readTokens, refreshTokens, usableTokens } from './tokens.js';

// channels: id → 'connecting' | 'live' | 'reconnecting'
export const connection = createStore({ channels: {}, recoveries: 0 });

// Closes that mean "this will not work again": bad request, forbidden, gone, room closed.
const FINAL_CODES = new Set([1008, 4400, 4403, 4404, 4410]);
const UNAUTHORIZED = 4401;
const PING_MS = 25_000;
const FIRST_RETRY_MS = 600;
const MAX_RETRY_MS = 15_000;

let nextId = 1;

function report(id, state) {
  connection.set((s) => {
    const channels = { ...s.channels };
    if (state === null) delete channels[id];
    else channels[id] = state;
    return { ...s, channels };
  });
}

export function overallState(channels) {
  const states = Object.values(channels);
  if (!states.length) return 'idle';
  if (states.includes('reconnecting')) return 'reconnecting';
  if (states.includes('connecting')) return 'connecting';
  return 'live';
}

export class LiveChannel {
  // path: under /api; params(): query values for each (re)connect;
  // auth: 'required' | 'optional' | 'none' (a public channel: no ticket is fetched);
  // onFrame(frame); onFinal(code, reason) when the server says not to come back.
  constructor({ path, params = () => ({}), auth = 'required', onFrame, onFinal, onOpen }) {
    this.id = nextId++;
    this.path = path;
    this.params = params;
    this.auth = auth;
    this.onFrame = onFrame;
    this.onFinal = onFinal;
    this.onOpen = onOpen;
    this.ws = null;
    this.position = null;
    this.attempt = 0;
    this.unauthorizedInARow = 0;
    this.wasLive = false;
    this.stopped = true;
    this.retryTimer = null;
    this.pingTimer = null;
    this.sentToken = null;
    this.handleOnline = () => this.retryNow();
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.handleOnline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.handleOnline);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'leaving');
    report(this.id, null);
  }

  // Forget the resume point (after the page reloaded its data over HTTP).
  resetPosition() {
    this.position = null;
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  async connect() {
    if (this.stopped) return;
    report(this.id, this.wasLive ? 'reconnecting' : 'connecting');
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(this.params() || {})) {
      if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
    }
    const tokens = this.auth === 'none' ? null : await usableTokens();
    if (this.stopped) return;
    if (tokens) {
      let ticket;
      try {
        ({ ticket } = await post('/users/socket-ticket'));
      } catch (error) {
        if (this.stopped) return;
        if (error.code === 'session_ended') {
          report(this.id, null);
          return;
        }
        this.closed(1006, 'no ticket');
        return;
      }
      if (this.stopped) return;
      query.set('ticket', ticket);
    } else if (this.auth === 'required') {
      report(this.id, null);
      return;
    }
    this.sentToken = readTokens()?.token || null;
    if (this.position) {
      query.set('since', String(this.position.offset));
      query.set('epoch', this.position.epoch);
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/api${this.path}?${query}`);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const recovered = this.wasLive && this.attempt > 0 && this.unauthorizedInARow === 0;
      this.wasLive = true;
      this.attempt = 0;
      report(this.id, 'live');
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_MS);
      if (recovered) {
        connection.set((s) => ({ ...s, recoveries: s.recoveries + 1 }));
      }
      if (this.onOpen) this.onOpen({ recovered });
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (typeof frame.offset === 'number' && typeof frame.epoch === 'string') {
        this.position = { offset: frame.offset, epoch: frame.epoch };
      }
      this.unauthorizedInARow = 0;
      if (frame.type === 'pong') return;
      this.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      if (!this.stopped) this.closed(event.code, event.reason);
    };
  }

  async closed(code, reason) {
    if (FINAL_CODES.has(code)) {
      report(this.id, null);
      if (this.onFinal) this.onFinal(code, reason);
      return;
    }
    report(this.id, 'reconnecting');
    this.wasLive = true;
    if (code === UNAUTHORIZED && this.unauthorizedInARow === 0 && readTokens()) {
      this.unauthorizedInARow += 1;
      try {
        await refreshTokens(this.sentToken);
      } catch (error) {
        if (error.code === 'session_ended') {
          report(this.id, null);
          return;
        }
      }
      this.attempt += 1;
      this.connect();
      return;
    }
    const base = Math.min(FIRST_RETRY_MS * 2 ** this.attempt, MAX_RETRY_MS);
    const delay = base * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  retryNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }
}

// Tell the person once that a dropped connection is back. One outage is one message, however many
// channels dropped and in whatever order they come back: an outage starts when any channel is
// reconnecting and ends once every channel has been live for a moment (SETTLE_MS), so a channel
// that drops or recovers a little after the others does not make a second message.
const SETTLE_MS = 1500;
let outage = null; // { recoveriesBefore } while an outage lasts
let settleTimer = null;

function endOutage() {
  settleTimer = null;
  const s = connection.get();
  if (!outage || overallState(s.channels) !== 'live') return;
  const recovered = s.recoveries > outage.recoveriesBefore;
  outage = null;
  if (recovered) toast('Reconnected — you are live again.', { kind: 'success' });
}

connection.subscribe((s) => {
  const state = overallState(s.channels);
  if (state === 'reconnecting') {
    if (!outage) outage = { recoveriesBefore: s.recoveries };
    clearTimeout(settleTimer);
    settleTimer = null;
    return;
  }
  if (!outage) return;
  if (state !== 'live') {
    clearTimeout(settleTimer);
    settleTimer = null;
    return;
  }
  if (!settleTimer) settleTimer = setTimeout(endOutage, SETTLE_MS);
});
