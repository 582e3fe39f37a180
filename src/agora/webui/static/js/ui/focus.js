// After a route change (not on the first load), move keyboard focus to the new page's heading,
// so keyboard and screen reader users start at the top of what changed.
import { route } from '../lib/router.js';

let pending = false;
route.subscribe(() => {
  pending = true;
});

export function takeFocus(element) {
  if (pending && element) {
    pending = false;
    element.focus({ preventScroll: true });
  }
}
