// The one place that names the vendored library: pages import the view helpers from here.
export {
  html,
  render,
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useMemo,
  useCallback,
} from '../../vendor/htm-preact-standalone.module.js';
