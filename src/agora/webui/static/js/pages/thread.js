// One lobby thread with its replies, and a reply form.
import { html } from '../lib/html.js';
import { get, post } from '../lib/api.js';
import { useForm, useLive, useResource } from '../lib/hooks.js';
import { useStore } from '../lib/store.js';
import { session } from '../lib/session.js';
import { plural } from '../lib/format.js';
import { Card, Empty, LoginPrompt, PageHead, Person, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';

function ReplyForm({ threadId, onReplied }) {
  const form = useForm({ content: '' }, async (values, { reset }) => {
    await post(`/discussions/${threadId}/reply`, values);
    reset();
    onReplied();
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Reply">
      <${Field} form=${form} name="content" label="Your reply" multiline rows="3" required />
      <${FormMessages} form=${form} />
      <div class="form-actions"><${Submit} form=${form} busyText="Posting…">Post reply<//></div>
    </form>
  `;
}

export function Thread({ params }) {
  const { user } = useStore(session);
  const thread = useResource(() => get(`/discussions/${params.id}?limit=200`), [params.id]);
  // Replies as they are posted, by anyone, with the count.
  useLive(
    {
      path: `/discussions/${params.id}/live`,
      auth: 'none',
      onFrame: (frame) => {
        if (frame.type === 'reload') thread.reload();
        if (frame.type !== 'reply') return;
        thread.setData((t) => {
          if (!t || t.replies.some((r) => r.reply_id === frame.reply_id)) return t;
          const { type, offset, epoch, reply_count, ...reply } = frame;
          return { ...t, reply_count, replies: [...t.replies, reply] };
        });
      },
    },
    [params.id],
  );
  const crumbs = html`<a href="#/bookclub">Bookclub</a> › Lobby`;
  return html`
    <${Resource} resource=${thread}>
      ${(t) => html`
        <${PageHead} title=${t.title} crumbs=${crumbs}
          subtitle=${html`Started by ${t.author} · <${Time} iso=${t.created_at} />`} />
        <div class="stack">
          <${Card}><p class="prose" style="margin:0">${t.content}</p><//>
          <${Card} title=${plural(t.reply_count, 'reply', 'replies')} label="replies-title">
            ${t.replies.length === 0
              ? html`<${Empty}>No replies yet.<//>`
              : html`<ul class="list" data-testid="replies">
                  ${t.replies.map(
                    (r) => html`
                      <li key=${r.reply_id}>
                        <${Person} id=${r.author_id} name=${r.author}>
                          <span class="small muted"> · <${Time} iso=${r.created_at} /></span>
                        <//>
                        <p class="prose" style="margin:6px 0 0">${r.content}</p>
                      </li>
                    `,
                  )}
                </ul>`}
          <//>
          <${Card} title="Reply" level="2" label="reply-title">
            ${user
              ? html`<${ReplyForm} threadId=${t.thread_id} onReplied=${thread.reload} />`
              : html`<${LoginPrompt}>to reply<//>`}
          <//>
        </div>
      `}
    <//>
  `;
}
