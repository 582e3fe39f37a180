// Operators: the latest failed and slow requests, and the spans of each one's trace as a
// waterfall (admins only; the gateway's /admin endpoints read the logs and the trace store).
import { html, useState } from '../lib/html.js';
import { api } from '../lib/api.js';
import { useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { isAdmin, session } from '../lib/session.js';
import { Badge, Card, Empty, LoadError, Loading, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';

// Spans as an indented tree in start order, each with a bar on the trace's timeline.
function Waterfall({ spans }) {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map();
  for (const span of spans) {
    const parent = ids.has(span.parent_id) ? span.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const start = Math.min(...spans.map((s) => s.start_ns));
  const total = Math.max(Math.max(...spans.map((s) => s.end_ns)) - start, 1);
  const rows = [];
  const walk = (span, depth) => {
    rows.push({ span, depth });
    for (const child of children.get(span.span_id) || []) walk(child, depth + 1);
  };
  for (const root of children.get(null) || []) walk(root, 0);
  return html`
    <ol class="waterfall" aria-label="Spans of the trace">
      ${rows.map(({ span, depth }) => {
        const left = ((span.start_ns - start) / total) * 100;
        const width = Math.max(((span.end_ns - span.start_ns) / total) * 100, 0.5);
        const ms = ((span.end_ns - span.start_ns) / 1e6).toFixed(1);
        return html`
          <li class=${`waterfall-row${span.status === 'error' ? ' is-error' : ''}`}>
            <span class="waterfall-name" style=${`padding-left: ${depth * 1.1}rem`}>
              ${span.name} <span class="muted">${span.instance || span.service}</span>
            </span>
            <span class="waterfall-track" aria-hidden="true">
              <span class="waterfall-bar" style=${`left: ${left}%; width: ${width}%`}></span>
            </span>
            <span class="waterfall-ms">${ms} ms</span>
          </li>
        `;
      })}
    </ol>
  `;
}

function TraceOf({ traceId }) {
  const trace = useResource(() => api(`/admin/traces/${traceId}`, { base: '' }), [traceId]);
  if (trace.error) return html`<${LoadError} error=${trace.error} retry=${trace.reload} />`;
  if (trace.data === undefined) return html`<${Loading} text="Loading the trace…" />`;
  return html`<${Waterfall} spans=${trace.data.spans} />`;
}

function RequestRow({ request }) {
  const [open, setOpen] = useState(false);
  const failed = request.status >= 500;
  return html`
    <li class="request-row" data-testid="slow-request">
      <div class="request-line">
        <${Badge} kind=${failed ? 'danger' : 'warning'}>${request.status}<//>
        <code>${request.method} ${request.path}</code>
        <span>${request.duration_ms} ms</span>
        <span class="muted">${request.instance || request.service}</span>
        <span class="muted"><${Time} iso=${request.at} /></span>
        ${request.traced
          ? html`<button class="link-btn" type="button" aria-expanded=${open ? 'true' : 'false'}
              onClick=${() => setOpen(!open)}>${open ? 'Hide trace' : 'Show trace'}</button>`
          : html`<span class="muted">${request.trace_id ? 'trace not sampled' : 'no trace'}</span>`}
      </div>
      <p class="muted request-ids">request ${request.request_id}${request.trace_id ? ` · trace ${request.trace_id}` : ''}</p>
      ${open && html`<${TraceOf} traceId=${request.trace_id} />`}
    </li>
  `;
}

// `#/admin/requests?slow=50` lowers the threshold (in ms) from the server's default.
export function Requests({ query }) {
  const { user } = useStore(session);
  const admin = isAdmin(user);
  const slow = query.get('slow');
  const path = `/admin/requests${slow ? `?slow=${encodeURIComponent(slow)}` : ''}`;
  const list = useResource(
    () => (admin ? api(path, { base: '' }) : Promise.resolve(null)),
    [admin, path],
  );
  if (!user) return html`<${PageHead} title="Slow and failed requests" /><${LoginPrompt}>as an admin<//>`;
  if (!admin) {
    return html`<${PageHead} title="Slow and failed requests" /><${Empty}>Only admins see this page.<//>`;
  }
  return html`
    <${PageHead}
      title="Slow and failed requests"
      subtitle="The latest requests that failed (5xx) or were slow, with their traces."
    >
      <button class="btn btn-secondary" type="button" onClick=${list.reload}>Refresh</button>
    <//>
    <${Resource} resource=${list}>
      ${(data) => html`
        <${Card} title=${`Slower than ${data.slow_ms} ms, or failed`}>
          ${data.requests.length === 0
            ? html`<${Empty}>None lately.<//>`
            : html`<ul class="request-list">${data.requests.map((r) => html`<${RequestRow} key=${r.request_id + r.at} request=${r} />`)}</ul>`}
        <//>
      `}
    <//>
  `;
}
