// Labelled inputs with their error beside them, and the form-level message.
import { html } from '../lib/html.js';

let nextId = 1;
const ids = new WeakMap();

function idFor(props) {
  if (props.id) return props.id;
  // The form's ref object lives as long as the form, so its ids stay the same across renders.
  const key = props.form.ref;
  if (!ids.has(key)) ids.set(key, `f${nextId++}`);
  return `${ids.get(key)}-${props.name}`;
}

function describedBy(id, hint, error) {
  const parts = [];
  if (hint) parts.push(`${id}-hint`);
  if (error) parts.push(`${id}-error`);
  return parts.join(' ') || undefined;
}

function Help({ id, hint, error }) {
  return html`
    ${hint && html`<span class="hint" id=${`${id}-hint`}>${hint}</span>`}
    ${error && html`<span class="field-error" id=${`${id}-error`}>${error}</span>`}
  `;
}

// <Field form=${form} name="title" label="Title" /> — type, hint, and any input attribute.
export function Field({ form, name, label, hint, type = 'text', multiline = false, ...rest }) {
  const id = idFor({ form, name, id: rest.id });
  const bound = form.bind(name);
  const common = {
    id,
    name,
    value: bound.value ?? '',
    onInput: bound.onInput,
    'aria-invalid': bound.error ? 'true' : undefined,
    'aria-describedby': describedBy(id, hint, bound.error),
    ...rest,
  };
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      ${multiline ? html`<textarea ...${common} />` : html`<input type=${type} ...${common} />`}
      <${Help} id=${id} hint=${hint} error=${bound.error} />
    </div>
  `;
}

export function SelectField({ form, name, label, hint, options, ...rest }) {
  const id = idFor({ form, name, id: rest.id });
  const bound = form.bind(name);
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      <select
        id=${id}
        name=${name}
        value=${bound.value ?? ''}
        onChange=${bound.onInput}
        aria-invalid=${bound.error ? 'true' : undefined}
        aria-describedby=${describedBy(id, hint, bound.error)}
        ...${rest}
      >
        ${options.map(
          ([value, text]) => html`<option value=${value} selected=${String(value) === String(bound.value)}>${text}</option>`,
        )}
      </select>
      <${Help} id=${id} hint=${hint} error=${bound.error} />
    </div>
  `;
}

export function CheckField({ form, name, label }) {
  const id = idFor({ form, name });
  const bound = form.bind(name);
  return html`
    <div class="field">
      <label class="check" for=${id}>
        <input id=${id} type="checkbox" name=${name} checked=${!!bound.value} onChange=${bound.onInput} />
        ${label}
      </label>
      ${bound.error && html`<span class="field-error">${bound.error}</span>`}
    </div>
  `;
}

export function FormMessages({ form }) {
  return html`
    ${form.formError && html`<p class="form-error" role="alert">${form.formError}</p>`}
    ${form.notice && html`<p class="form-note" role="status">${form.notice}</p>`}
  `;
}

export function Submit({ form, children, busyText = 'Saving…', kind = '' }) {
  return html`
    <button class=${`btn ${kind}`} type="submit" disabled=${form.busy}>
      ${form.busy ? busyText : children}
    </button>
  `;
}
