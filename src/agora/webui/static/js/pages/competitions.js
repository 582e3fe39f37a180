// Competitions open for entries now, and (for admins) a form to start a new one.
import { html, useState } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { localInputValue, toIsoInstant } from '../lib/format.js';
import { Badge, Card, Empty, PageHead, Resource, Time } from '../ui/common.js';
import { CheckField, Field, FormMessages, Submit } from '../ui/forms.js';

function CreateCompetition({ onCancel }) {
  const start = new Date();
  start.setSeconds(0, 0);
  const end = new Date(start.getTime() + 14 * 86_400_000);
  const form = useForm(
    {
      title: '',
      description: '',
      start_date: localInputValue(start),
      end_date: localInputValue(end),
      allow_multiple_entries: false,
    },
    async (values) => {
      const created = await post('/competitions', {
        ...values,
        start_date: toIsoInstant(values.start_date),
        end_date: toIsoInstant(values.end_date),
      });
      toast(`"${created.title}" was created.`, { kind: "success" });
      navigate(`/competitions/${created.competition_id}`);
    },
    { labels: { start_date: 'Opens', end_date: 'Closes' } },
  );
  return html`
    <${Card} title="New competition" label="new-competition-title">
      <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="New competition">
        <${Field} form=${form} name="title" label="Title" required />
        <${Field} form=${form} name="description" label="Description" multiline rows="3"
          hint="What should entrants write? Any rules?" />
        <div class="form-row">
          <${Field} form=${form} name="start_date" label="Opens" type="datetime-local" required />
          <${Field} form=${form} name="end_date" label="Closes" type="datetime-local" required />
        </div>
        <${CheckField} form=${form} name="allow_multiple_entries" label="Allow more than one entry per person" />
        <${FormMessages} form=${form} />
        <div class="form-actions">
          <${Submit} form=${form} busyText="Creating…">Create competition<//>
          <button class="btn btn-ghost" type="button" onClick=${onCancel}>Cancel</button>
        </div>
      </form>
    <//>
  `;
}

export function Competitions() {
  const { user } = useStore(session);
  const list = useResource(() => get('/competitions', { auth: false }), []);
  const [creating, setCreating] = useState(false);
  return html`
    <${PageHead} title="Competitions" subtitle="Write, enter, like and comment. The most liked entries win.">
      ${isAdmin(user) &&
      !creating &&
      html`<button class="btn" type="button" onClick=${() => setCreating(true)}>New competition</button>`}
    <//>
    ${creating && html`<div style="margin-bottom:24px"><${CreateCompetition} onCancel=${() => setCreating(false)} /></div>`}
    <${Resource} resource=${list} loadingText="Loading competitions…">
      ${(items) =>
        items.length === 0
          ? html`<${Empty}>No competition is open right now. Check back soon!<//>`
          : html`<div class="cards" data-testid="competitions">
              ${items.map(
                (c) => html`
                  <a class="card card-link" href=${`#/competitions/${c.competition_id}`} key=${c.competition_id}>
                    <div class="row-between" style="margin-bottom:6px">
                      <${Badge} kind="success">Open<//>
                      <span class="small muted">until <${Time} iso=${c.end_date} time=${false} /></span>
                    </div>
                    <h3>${c.title}</h3>
                    ${c.description && html`<p class="small muted clamp" style="margin:0">${c.description}</p>`}
                  </a>
                `,
              )}
            </div>`}
    <//>
  `;
}
