// My profile: bio and picture, followers and followings, notification preferences, my entries.
import { html } from '../lib/html.js';
import { get, patch, put } from '../lib/api.js';
import { useForm, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session, setUser } from '../lib/session.js';
import { plural } from '../lib/format.js';
import { Avatar, Badge, Card, Empty, LoginPrompt, PageHead, Resource, Time } from '../ui/common.js';
import { CheckField, Field, FormMessages, Submit } from '../ui/forms.js';
import { People } from './user.js';
import { DeleteAccount, ExportData } from './account.js';

const TYPES = [
  ['like', 'Likes on my entries'],
  ['comment', 'Comments on my entries'],
  ['reply', 'Replies to my comments and threads'],
  ['placement', 'My places in results'],
  ['new_submission', 'New entries where I subscribed'],
  ['score_update', 'Scores of teams I follow'],
  ['follow', 'New followers'],
  ['news', 'News'],
];

function AboutForm({ user }) {
  const form = useForm({ bio: user.bio || '', profile_picture: user.profile_picture || '' }, async (values) => {
    const updated = await patch('/users/profile', values);
    setUser(updated);
    return 'Your profile is saved.';
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="About you">
      <${Field} form=${form} name="bio" label="Bio" multiline rows="4" hint="Up to 500 characters." />
      <${Field} form=${form} name="profile_picture" label="Picture URL" type="url"
        hint="An http(s) address of an image, or empty for your initials." />
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form}>Save profile<//></div>
    </form>
  `;
}

function PreferencesForm({ user }) {
  const prefs = user.preferences?.notifications || { enabled: true, types: TYPES.map(([t]) => t) };
  const initial = { enabled: prefs.enabled };
  for (const [type] of TYPES) initial[type] = prefs.types.includes(type);
  const form = useForm(initial, async (values) => {
    const types = TYPES.map(([type]) => type).filter((type) => values[type]);
    const saved = await put(`/users/${user.user_id}/preferences/notifications`, { enabled: values.enabled, types });
    setUser({ preferences: { notifications: saved.data } });
    return 'Your notification preferences are saved.';
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Notification preferences">
      <${CheckField} form=${form} name="enabled" label="Send me notifications" />
      <fieldset class="checks" disabled=${!form.values.enabled}>
        <legend>Tell me about</legend>
        ${TYPES.map(([type, label]) => html`<${CheckField} form=${form} name=${type} label=${label} />`)}
      </fieldset>
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form}>Save preferences<//></div>
    </form>
  `;
}

export function Profile() {
  const { user } = useStore(session);
  const me = useResource(() => (user ? get('/users/profile') : Promise.resolve(null)), [user?.user_id]);
  const followers = useResource(() => (user ? get(`/users/${user.user_id}/followers?limit=50`) : Promise.resolve(null)), [user?.user_id]);
  const following = useResource(() => (user ? get(`/users/${user.user_id}/followings?limit=50`) : Promise.resolve(null)), [user?.user_id]);
  const entries = useResource(() => (user ? get('/users/profile/submissions?limit=20') : Promise.resolve(null)), [user?.user_id]);

  if (!user) return html`<${PageHead} title="Your profile" /><${LoginPrompt}>to see your profile<//>`;
  return html`
    <${Resource} resource=${me} loadingText="Loading your profile…">
      ${(p) => html`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${Avatar} name=${p.username} src=${p.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${PageHead} title=${p.username}
                subtitle=${html`${p.email || 'No email'} · joined <${Time} iso=${p.created_at} time=${false} /> ·
                  <${Badge} kind=${p.role === 'admin' ? 'primary' : ''}>${p.role}<//>`}>
                <a class="btn btn-secondary" href=${`#/users/${p.userId}`}>See your public page</a>
              <//>
              <div class="stats">
                <div class="stat"><strong>${p.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${p.followings_count}</strong><span>following</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${Card} title="About you" label="about-title"><${AboutForm} user=${p} /><//>
            <${Card} title="Notifications" label="prefs-title"><${PreferencesForm} user=${p} /><//>
            <${Card} title="Your competition entries" label="entries-title">
              <${Resource} resource=${entries}>
                ${(list) =>
                  !list || list.length === 0
                    ? html`<${Empty}>You have not entered a competition yet. <a href="#/competitions">See what is open</a>.<//>`
                    : html`<ul class="list">
                        ${list.map((s) => html`<li key=${s.submission_id}>
                          <a href=${`#/competitions/${s.competition_id}`}><strong>${s.title}</strong></a>
                          <div class="small muted">${plural(s.likes, 'like')} · ${plural(s.comments, 'comment')}${s.place ? ` · place ${s.place}` : ''}</div>
                        </li>`)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${Card} title=${`Followers (${p.followers_count})`} label="my-followers-title">
              <${Resource} resource=${followers}>${(page) => html`<${People} page=${page} emptyText="No followers yet." />`}<//>
            <//>
            <${Card} title=${`Following (${p.followings_count})`} label="my-following-title">
              <${Resource} resource=${following}>${(page) => html`<${People} page=${page} emptyText="You follow nobody yet. Find people on the timeline." />`}<//>
            <//>
            <${Card} title="Download my data" label="export-title"><${ExportData} /><//>
            <${Card} title="Delete my account" label="delete-title"><${DeleteAccount} /><//>
          </div>
        </div>
      `}
    <//>
  `;
}
