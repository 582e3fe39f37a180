// Your data and your account: download everything Agora keeps about you (a ZIP made by the export
// saga), delete the account with a grace period (the deletion saga), and, on the login page, the
// restore flow of an account that is scheduled for deletion.
import { html, useEffect, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useForm } from '../lib/hooks.js';
import { formatDate } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { logOut } from '../lib/session.js';
import { readTokens } from '../lib/tokens.js';
import { toast } from '../lib/toast.js';
import { Badge, Time } from '../ui/common.js';
import { CheckField, Field, FormMessages, Submit } from '../ui/forms.js';

const EXPORT_KEY = 'agora.export';
const POLL_MS = 1500;

// What the deletion does to each kind of content, as the services implement it.
const WHAT_HAPPENS = [
  ['Tweets, reviews, chat messages, votes and likes', 'hidden at once (they stop counting); deleted when the grace period ends'],
  ['Threads and comments others answered', 'kept as “[deleted]”, without your name, so the replies still make sense'],
  ['Entries that placed in a finished competition', 'keep their place, shown as by “deleted user”'],
  ['Follows, followed teams, notifications, preferences', 'hidden at once; deleted at the end'],
  ['Your account and username', 'deleted at the end; the username can be taken again after 30 days'],
];

const STEP_KIND = { done: 'success', running: 'primary', waiting: 'warning', failed: 'danger' };

export function Steps({ steps }) {
  if (!steps || steps.length === 0) return null;
  return html`
    <ol class="list" aria-label="Steps">
      ${steps.map((s) => html`<li key=${s.step}>
        <strong>${s.action}</strong> ${s.service}
        <${Badge} kind=${STEP_KIND[s.state] || ''}>${s.state}<//>
        <span class="small muted"> <${Time} iso=${s.at} /></span>
        ${s.detail && html`<div class="small muted">${s.detail}</div>`}
      </li>`)}
    </ol>
  `;
}

function usePoll(load, active, deps) {
  const [data, setData] = useState(null);
  useEffect(() => {
    if (!active) return undefined;
    let stopped = false;
    let timer = null;
    const tick = async () => {
      try {
        const next = await load();
        if (stopped) return;
        setData(next);
        if (next && next.keepPolling === false) return;
      } catch {
        // The next tick tries again.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return data;
}

async function downloadArchive(url, filename) {
  // The link is for its owner only: fetched with the token, then saved from memory.
  const tokens = readTokens();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${tokens?.token || ''}` } });
  if (!response.ok) throw new Error(`The download failed (${response.status})`);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function ExportData() {
  const [exportId, setExportId] = useState(() => localStorage.getItem(EXPORT_KEY));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const state = usePoll(
    async () => {
      const body = await get(`/users/profile/export/${exportId}`);
      return { ...body, keepPolling: body.state === 'collecting' };
    },
    Boolean(exportId),
    [exportId],
  );
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await post('/users/profile/export');
      localStorage.setItem(EXPORT_KEY, created.export_id);
      setExportId(created.export_id);
    } catch (err) {
      setError(err instanceof ApiError ? err.summary : String(err));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    downloadArchive(state.download_url, `agora-data-${state.export_id}.zip`).catch((err) => setError(String(err.message)));
  return html`
    <div class="stack" aria-label="Download my data">
      <p>Get a ZIP archive of everything Agora keeps about you: your profile, follows, votes,
        threads and replies, chat messages, entries, likes, comments, reviews, tweets,
        notifications and preferences, as JSON files with a README.</p>
      ${state && html`<p role="status">Export <${Badge} kind=${state.state === 'ready' ? 'success' : ''}>${state.state}<//>
        ${state.expires_at && html` · the link works until <${Time} iso=${state.expires_at} />`}</p>`}
      ${state?.state === 'collecting' && html`<${Steps} steps=${state.steps} />`}
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <div class="form-actions">
        ${state?.state === 'ready' && html`<button class="btn" type="button" onClick=${save}>Download the archive</button>`}
        <button class="btn btn-secondary" type="button" disabled=${busy || state?.state === 'collecting'} onClick=${start}>
          ${state?.state === 'collecting' ? 'Collecting your data…' : 'Download my data'}
        </button>
      </div>
    </div>
  `;
}

export function DeleteAccount() {
  const form = useForm({ password: '', grace_days: '14', understood: false }, async (values) => {
    if (!values.understood) throw new ApiError(422, { message: 'Tick the box to confirm', details: [{ field: 'body.understood', message: 'Tick the box to confirm' }] });
    const days = Number.parseInt(values.grace_days, 10);
    const body = await post('/users/profile/deletion', { password: values.password, grace_days: Number.isNaN(days) ? 14 : days });
    // Every session of the account has just ended: sign out here too, and say until when the
    // account can be restored.
    await logOut();
    toast(`Your account is scheduled for deletion on ${formatDate(body.erase_at)}. Log in before then to restore it.`, { ms: 15000 });
    navigate('/login');
  });
  return html`
    <div class="stack" aria-label="Delete my account">
      <p>Deleting your account signs you out everywhere at once and hides your content. Until the
        end of the grace period you can log in and restore everything exactly as it was.</p>
      <table class="plain-table small">
        <thead><tr><th scope="col">Your…</th><th scope="col">What happens</th></tr></thead>
        <tbody>${WHAT_HAPPENS.map(([what, how]) => html`<tr key=${what}><td>${what}</td><td>${how}</td></tr>`)}</tbody>
      </table>
      <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Delete my account">
        <${Field} form=${form} name="password" label="Your password" type="password" autocomplete="current-password" required />
        <${Field} form=${form} name="grace_days" label="Grace period (days)" type="number" min="0" max="30"
          hint="0 to 30 days; 0 deletes at once, with no way back." />
        <${CheckField} form=${form} name="understood" label="I understand what will be deleted" />
        <${FormMessages} form=${form} />
        <div class="form-actions"><${Submit} form=${form} kind="btn-danger-solid" busyText="Scheduling…">Delete my account<//></div>
      </form>
    </div>
  `;
}

async function withRestoreToken(method, token) {
  const response = await fetch('/api/users/profile/deletion', {
    method,
    headers: { Accept: 'application/json', 'X-Restore-Token': token },
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error || {});
  return data;
}

// On the login page: the account is scheduled for deletion; show its progress and restore it.
export function PendingDeletion({ pending, onRestored }) {
  const { restore_token: token, erase_at: eraseAt } = pending;
  const [restoring, setRestoring] = useState(false);
  const [error, setError] = useState(null);
  const state = usePoll(
    async () => {
      const body = await withRestoreToken('GET', token);
      return { ...body, keepPolling: !['restored', 'erased'].includes(body.state) };
    },
    true,
    [token],
  );
  useEffect(() => {
    if (state?.state === 'restored') onRestored();
  }, [state?.state]);
  const restore = async () => {
    setRestoring(true);
    setError(null);
    try {
      await withRestoreToken('DELETE', token);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setRestoring(false);
    }
  };
  return html`
    <div class="card" role="region" aria-label="Account scheduled for deletion">
      <p>This account is scheduled for deletion on <strong><${Time} iso=${eraseAt} /></strong>.
        Restore it to log in: everything that was hidden comes back as it was.</p>
      ${state && html`<p>State: <${Badge}>${state.state}<//></p><${Steps} steps=${state.steps} />`}
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <div class="form-actions">
        <button class="btn" type="button" disabled=${restoring} onClick=${restore}>
          ${restoring ? 'Restoring your account…' : 'Restore my account'}
        </button>
      </div>
    </div>
  `;
}

export function accountPendingDeletion(error) {
  if (!(error instanceof ApiError) || error.code !== 'account_pending_deletion') return null;
  return error.details[0] || null;
}

