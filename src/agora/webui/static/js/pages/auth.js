// Log in and sign up.
import { html, useState } from '../lib/html.js';
import { useForm } from '../lib/hooks.js';
import { logIn, signUp } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { PageHead } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';
import { PendingDeletion, accountPendingDeletion } from './account.js';

function nextPath(query) {
  const next = query.get('next');
  return next && next.startsWith('/') && !next.startsWith('/login') && !next.startsWith('/signup')
    ? next
    : '/bookclub';
}

export function Login({ query }) {
  const [pending, setPending] = useState(null);
  const enter = async (values) => {
    const user = await logIn(values.login.trim(), values.password);
    toast(`Welcome back, ${user?.username || values.login}!`);
    navigate(nextPath(query));
  };
  const form = useForm({ login: '', password: '' }, async (values) => {
    try {
      await enter(values);
    } catch (error) {
      // An account scheduled for deletion: offer to restore it instead.
      const details = accountPendingDeletion(error);
      if (!details) throw error;
      setPending(details);
    }
  });
  if (pending) {
    return html`
      <div class="auth-card">
        <${PageHead} title="Restore your account" subtitle="Your account is scheduled for deletion." />
        <${PendingDeletion} pending=${pending} onRestored=${() => enter(form.values).catch(() => setPending(null))} />
      </div>
    `;
  }
  const signupLink = `#/signup${query.get('next') ? `?next=${encodeURIComponent(query.get('next'))}` : ''}`;
  return html`
    <div class="card auth-card">
      <${PageHead} title="Log in" subtitle="Welcome back to Agora." />
      <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate>
        <${Field} form=${form} name="login" label="Username or email" autocomplete="username" required />
        <${Field} form=${form} name="password" label="Password" type="password"
          autocomplete="current-password" required />
        <${FormMessages} form=${form} />
        <div class="form-actions">
          <${Submit} form=${form} busyText="Logging in…">Log in<//>
          <span class="muted">New here? <a href=${signupLink}>Create an account</a></span>
        </div>
      </form>
    </div>
  `;
}

export function Signup({ query }) {
  const form = useForm({ username: '', email: '', password: '' }, async (values) => {
    const user = await signUp({
      username: values.username.trim(),
      email: values.email.trim(),
      password: values.password,
    });
    toast(`Welcome to Agora, ${user?.username || values.username}!`, { kind: 'success' });
    navigate(nextPath(query));
  });
  return html`
    <div class="card auth-card">
      <${PageHead} title="Sign up" subtitle="Join the book club, competitions, music reviews and more." />
      <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate>
        <${Field} form=${form} name="username" label="Username" autocomplete="username"
          hint="3 to 32 lowercase letters, digits or underscores." required />
        <${Field} form=${form} name="email" label="Email" type="email" autocomplete="email"
          hint="You can log in with it too." />
        <${Field} form=${form} name="password" label="Password" type="password"
          autocomplete="new-password" hint="At least 12 characters." required />
        <${FormMessages} form=${form} />
        <div class="form-actions">
          <${Submit} form=${form} busyText="Creating your account…">Create account<//>
          <span class="muted">Have an account? <a href="#/login">Log in</a></span>
        </div>
      </form>
    </div>
  `;
}
