// A hash route that matches no page.
import { html } from '../lib/html.js';
import { PageHead } from '../ui/common.js';

export function NotFound() {
  return html`
    <${PageHead} title="Page not found" subtitle="There is nothing at this address." />
    <p><a class="btn" href="#/bookclub">Go to the bookclub</a></p>
  `;
}
