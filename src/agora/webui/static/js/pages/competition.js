// One competition: its entries with likes and threaded comments, my entry, and the results.
import { html, useState } from '../lib/html.js';
import { del, get, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useForm, useLive, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { toast } from '../lib/toast.js';
import { plural } from '../lib/format.js';
import { Badge, Card, Empty, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { Entry } from './entry.js';

const STATUS = {
  upcoming: ['warning', 'Opens soon'],
  active: ['success', 'Open for entries'],
  closed: ['', 'Closed'],
};

function EntryForm({ competitionId, onDone }) {
  const form = useForm({ title: '', content: '' }, async (values, { reset }) => {
    await post(`/competitions/${competitionId}/submit`, values);
    reset();
    toast('Your entry is in. Good luck!', { kind: 'success' });
    onDone();
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Submit your entry">
      <${Field} form=${form} name="title" label="Entry title" required />
      <${Field} form=${form} name="content" label="Your entry" multiline rows="8" required />
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Submitting…">Submit entry<//></div>
    </form>
  `;
}

function Results({ competitionId }) {
  const results = useResource(() => get(`/competitions/${competitionId}/results`), [competitionId]);
  return html`
    <${Card} title="Results" label="results-title">
      <${Resource} resource=${results} loadingText="Loading the results…">
        ${(r) =>
          r.results.length === 0
            ? html`<${Empty}>Nobody entered this competition.<//>`
            : html`<ol class="list results" data-testid="results">
                ${r.results.map(
                  (entry) => html`
                    <li key=${entry.submission_id}>
                      <span class=${`place place-${entry.place}`} aria-label=${`Place ${entry.place}`}>${entry.place}</span>
                      <div style="flex:1;min-width:0">
                        <strong>${entry.title}</strong>
                        <div class="small muted">by <a href=${`#/users/${entry.user_id}`}>${entry.username}</a></div>
                      </div>
                      <span class="nowrap">${plural(entry.likes, 'like')}</span>
                    </li>
                  `,
                )}
              </ol>`}
      <//>
    <//>
  `;
}

function Subscribe({ competitionId }) {
  const mine = useResource(() => get('/users/profile/subscriptions?limit=200'), []);
  const [busy, setBusy] = useState(false);
  if (!mine.data) return null;
  const subscribed = mine.data.some((s) => s.competition_id === String(competitionId));
  const toggle = async () => {
    setBusy(true);
    try {
      if (subscribed) await del(`/users/subscribe/${competitionId}`);
      else await post(`/users/subscribe/${competitionId}`);
      toast(subscribed ? 'You will no longer hear about new entries.' : 'You will hear about new entries.');
      await mine.reload();
    } catch (error) {
      toast(error instanceof ApiError ? error.summary : String(error));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <button class="btn btn-secondary" type="button" aria-pressed=${subscribed ? 'true' : 'false'}
      disabled=${busy} onClick=${toggle}>
      ${subscribed ? 'Subscribed' : 'Subscribe to new entries'}
    </button>
  `;
}

export function Competition({ params }) {
  const { user } = useStore(session);
  const id = params.id;
  const competition = useResource(() => get(`/competitions/${id}`), [id]);
  const entries = useResource(() => get(`/competitions/${id}/submissions?limit=100`), [id]);
  // Everyone's likes and comments, as they happen (my own `liked_by_me` stays as the API said).
  useLive(
    {
      path: `/competitions/${id}/live`,
      auth: 'none',
      onFrame: (frame) => {
        if (frame.type === 'reload') entries.reload();
        if (frame.type !== 'counts') return;
        entries.setData((page) => page && {
          ...page,
          submissions: page.submissions.map((s) =>
            s.submission_id === frame.submission_id ? { ...s, likes: frame.likes, comments: frame.comments } : s,
          ),
        });
      },
    },
    [id],
  );
  const crumbs = html`<a href="#/competitions">Competitions</a> › Entries`;

  return html`
    <${Resource} resource=${competition} loadingText="Loading the competition…">
      ${(c) => {
        const [kind, text] = STATUS[c.status] || STATUS.closed;
        const mine = (entries.data?.submissions || []).filter((s) => user && s.user_id === String(user.user_id));
        const canEnter = user && c.status === 'active' && (c.allow_multiple_entries || mine.length === 0);
        return html`
          <${PageHead}
            title=${c.title}
            crumbs=${crumbs}
            subtitle=${html`<${Badge} kind=${kind}>${text}<//> ${' '}
              <${Time} iso=${c.start_date} relative=${false} /> – <${Time} iso=${c.end_date} relative=${false} /> · ${plural(c.submission_count, 'entry', 'entries')}`}
          >
            ${user && c.status !== 'closed' && html`<${Subscribe} competitionId=${id} />`}
          <//>
          <div class="grid">
            <div class="stack">
              ${c.description && html`<${Card}><p class="prose" style="margin:0">${c.description}</p><//>`}
              ${c.status === 'closed' && html`<${Results} competitionId=${id} />`}
              <${Resource} resource=${entries} loadingText="Loading entries…">
                ${(page) => html`
                  <section aria-labelledby="entries-title" class="stack" style="gap:14px">
                    <h2 id="entries-title">${plural(page.submissions.length, 'entry', 'entries')}</h2>
                    ${page.submissions.length === 0
                      ? html`<${Empty}>No entries yet.${c.status === 'active' ? ' Be the first!' : ''}<//>`
                      : page.submissions.map(
                          (s) => html`<${Entry}
                            key=${s.submission_id}
                            entry=${s}
                            competition=${c}
                            user=${user}
                            onChanged=${entries.reload}
                          />`,
                        )}
                  </section>
                `}
              <//>
            </div>
            <div class="stack">
              ${canEnter &&
              html`<${Card} title="Submit your entry" label="submit-title">
                <${EntryForm} competitionId=${id} onDone=${() => { entries.reload(); competition.reload(); }} />
              <//>`}
              ${!user && c.status === 'active' && html`<${LoginPrompt}>to enter, like and comment<//>`}
              ${c.status === 'upcoming' && html`<${Card} title="Not open yet"><p class="muted" style="margin:0">Entries open <${Time} iso=${c.start_date} relative=${false} />.</p><//>`}
              <${Card} title="How it works" label="how-title">
                <p class="small" style="margin:0">
                  Entries are accepted from <${Time} iso=${c.start_date} relative=${false} /> until <${Time} iso=${c.end_date} relative=${false} />.
                  When it closes, the most liked entries win; a tie goes to the earlier entry, and every
                  entrant hears their place.
                </p>
              <//>
              ${mine.length > 0 &&
              html`<${Card} title="Your entries" label="yours-title">
                <ul class="list">
                  ${mine.map(
                    (s) => html`<li key=${s.submission_id}>
                      <strong>${s.title}</strong>
                      <div class="small muted">${plural(s.likes, 'like')} · ${plural(s.comments, 'comment')}${s.place ? ` · place ${s.place}` : ''}</div>
                    </li>`,
                  )}
                </ul>
              <//>`}
            </div>
          </div>
        `;
      }}
    <//>
  `;
}
