// Hooks the pages share: data loaded over HTTP, live channels, forms with field errors.
import { useCallback, useEffect, useRef, useState } from './html.js';
import { describe } from './errors.js';
import { LiveChannel } from './live.js';

// Load data, keep it while reloading, and let live frames patch it (setData).
export function useResource(load, deps) {
  const [state, setState] = useState({ loading: true, data: undefined, error: null });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (call === latest.current) setState({ loading: false, data, error: null });
    } catch (error) {
      if (call === latest.current) setState((s) => ({ ...s, loading: false, error }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  const setData = useCallback((next) => {
    setState((s) => ({ ...s, data: typeof next === 'function' ? next(s.data) : next }));
  }, []);
  return { ...state, reload, setData };
}

// A live channel for as long as the component is mounted (and `enabled`); returns a ref to it.
export function useLive({ enabled = true, onFrame, ...options }, deps) {
  const handler = useRef(onFrame);
  handler.current = onFrame;
  const finalHandler = useRef(options.onFinal);
  finalHandler.current = options.onFinal;
  const channelRef = useRef(null);
  useEffect(() => {
    if (!enabled) return undefined;
    const channel = new LiveChannel({
      ...options,
      onFrame: (frame) => handler.current(frame),
      onFinal: (code, reason) => finalHandler.current && finalHandler.current(code, reason),
    });
    channelRef.current = channel;
    channel.start();
    return () => {
      channel.stop();
      if (channelRef.current === channel) channelRef.current = null;
    };
  }, [enabled, ...deps]);
  return channelRef;
}

// A form's values, field errors from the API (details[].field → the input) and a form error.
export function useForm(initial, onSubmit, { labels = {} } = {}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef(null);
  const focusInvalid = useRef(false);

  useEffect(() => {
    if (!focusInvalid.current || !ref.current) return;
    focusInvalid.current = false;
    const invalid = ref.current.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }, [errors]);

  const set = (name, value) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => {
      if (!(name in e)) return e;
      const next = { ...e };
      delete next[name];
      return next;
    });
  };

  const bind = (name) => ({
    name,
    value: values[name],
    error: errors[name],
    onInput: (event) => {
      const target = event.currentTarget;
      set(name, target.type === 'checkbox' ? target.checked : target.value);
    },
  });

  const reset = (next = initial) => {
    setValues(next);
    setErrors({});
    setFormError(null);
  };

  const submit = async (event) => {
    if (event) event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors({});
    setFormError(null);
    setNotice(null);
    try {
      const message = await onSubmit(values, { reset, setValues });
      if (typeof message === 'string') setNotice(message);
    } catch (error) {
      const { fields, summary } = describe(error, Object.keys(initial), labels);
      focusInvalid.current = true;
      setErrors(fields);
      setFormError(summary);
    } finally {
      setBusy(false);
    }
  };

  return { values, set, setValues, errors, formError, notice, busy, bind, submit, reset, ref };
}
