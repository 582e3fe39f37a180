// A competition entry: like it, read and write threaded comments, and (the author) edit it.
import { html, useEffect, useState } from '../lib/html.js';
import { del, get, patch, post } from '../lib/api.js';
import { ApiError } from '../lib/errors.js';
import { useForm, useResource } from '../lib/hooks.js';
import { toast } from '../lib/toast.js';
import { plural } from '../lib/format.js';
import { Badge, Person, Resource, Time } from '../ui/common.js';
import { Field, FormMessages, Submit } from '../ui/forms.js';

function CommentForm({ path, parentId, onPosted, onCancel, label }) {
  const form = useForm({ content: '' }, async (values, { reset }) => {
    const body = { content: values.content };
    if (parentId) body.parent_comment_id = Number(parentId);
    await post(path, body);
    reset();
    onPosted();
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate style="margin-top:8px">
      <${Field} form=${form} name="content" label=${label} multiline rows="2" required />
      <${FormMessages} form=${form} />
      <div class="form-actions">
        <${Submit} form=${form} kind="btn-sm" busyText="Posting…">${parentId ? 'Reply' : 'Comment'}<//>
        ${onCancel && html`<button class="btn btn-ghost btn-sm" type="button" onClick=${onCancel}>Cancel</button>`}
      </div>
    </form>
  `;
}

function CommentNode({ comment, path, user, open, onPosted }) {
  const [replying, setReplying] = useState(false);
  return html`
    <li class="comment" data-testid="comment">
      <div class="who">
        ${comment.deleted ? html`<span class="muted">[deleted]</span>` : comment.username}
        <${Time} iso=${comment.created_at} />${comment.edited ? html` <span class="muted small">(edited)</span>` : ''}
      </div>
      <p class="prose" style="margin:2px 0 0">${comment.deleted ? html`<em class="muted">This comment was deleted.</em>` : comment.content}</p>
      ${user &&
      open &&
      !comment.deleted &&
      !replying &&
      html`<button class="link-btn small" type="button" onClick=${() => setReplying(true)}
        aria-label=${`Reply to ${comment.username}`}>Reply</button>`}
      ${replying &&
      html`<${CommentForm}
        path=${path}
        parentId=${comment.comment_id}
        label=${`Reply to ${comment.username}`}
        onCancel=${() => setReplying(false)}
        onPosted=${() => {
          setReplying(false);
          onPosted();
        }}
      />`}
      ${comment.replies.length > 0 &&
      html`<ul class="comment-tree">
        ${comment.replies.map(
          (reply) => html`<${CommentNode} key=${reply.comment_id} comment=${reply} path=${path}
            user=${user} open=${open} onPosted=${onPosted} />`,
        )}
      </ul>`}
    </li>
  `;
}

function Comments({ competition, entry, user, onCount }) {
  const base = `/competitions/${competition.competition_id}`;
  const comments = useResource(
    () => get(`${base}/submissions/${entry.submission_id}/comments?limit=100`),
    [entry.submission_id],
  );
  const postPath = `${base}/comment/${entry.submission_id}`;
  const open = competition.status !== 'upcoming';
  const posted = () => {
    comments.reload();
    onCount();
  };
  return html`
    <div class="comments">
      <${Resource} resource=${comments} loadingText="Loading comments…">
        ${(page) =>
          page.comments.length === 0
            ? html`<p class="muted small">No comments yet.</p>`
            : html`<ul class="comment-tree">
                ${page.comments.map(
                  (c) => html`<${CommentNode} key=${c.comment_id} comment=${c} path=${postPath}
                    user=${user} open=${open} onPosted=${posted} />`,
                )}
              </ul>`}
      <//>
      ${user && open && html`<${CommentForm} path=${postPath} label="Add a comment" onPosted=${posted} />`}
    </div>
  `;
}

function EditEntry({ competition, entry, onDone, onCancel }) {
  const form = useForm({ title: entry.title, content: entry.content }, async (values) => {
    await patch(`/competitions/${competition.competition_id}/submissions/${entry.submission_id}`, values);
    toast('Your entry is updated.', { kind: 'success' });
    onDone();
  });
  return html`
    <form class="form" onSubmit=${form.submit} ref=${form.ref} novalidate aria-label="Edit your entry" style="margin-top:12px">
      <${Field} form=${form} name="title" label="Entry title" required />
      <${Field} form=${form} name="content" label="Your entry" multiline rows="8" required />
      <${FormMessages} form=${form} />
      <div class="form-actions">
        <${Submit} form=${form}>Save changes<//>
        <button class="btn btn-ghost" type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>
  `;
}

export function Entry({ entry, competition, user, onChanged }) {
  const mine = user && entry.user_id === String(user.user_id);
  // Whether I like it comes from the API (`liked_by_me`, per account): never kept in the browser.
  const [likes, setLikes] = useState(entry.likes);
  const [liked, setLiked] = useState(entry.liked_by_me === true);
  useEffect(() => {
    setLikes(entry.likes);
    setLiked(entry.liked_by_me === true);
  }, [entry.likes, entry.liked_by_me]);
  const [busy, setBusy] = useState(false);
  const [showComments, setShowComments] = useState(false);
  const [commentCount, setCommentCount] = useState(entry.comments);
  useEffect(() => setCommentCount(entry.comments), [entry.comments]);
  // After my comment, the count as the API has it (the live frame may have come first).
  const refreshCount = () =>
    get(`/competitions/${competition.competition_id}/submissions/${entry.submission_id}`)
      .then((fresh) => setCommentCount(fresh.comments))
      .catch(() => {});
  const [editing, setEditing] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const [error, setError] = useState(null);
  const long = entry.content.length > 360;
  const canLike = user && !mine && competition.status === 'active';
  const commentsId = `comments-${entry.submission_id}`;

  const toggleLike = async () => {
    setBusy(true);
    setError(null);
    const path = `/competitions/${competition.competition_id}/like/${entry.submission_id}`;
    try {
      const result = liked ? await del(path) : await post(path);
      setLikes(result.likes);
      setLiked(result.liked);
    } catch (err) {
      setError(err instanceof ApiError ? err.summary : String(err));
    } finally {
      setBusy(false);
    }
  };

  return html`
    <article class="card entry" data-testid="entry" data-entry-id=${entry.submission_id}>
      <div class="row-between">
        <h3 style="margin:0">${entry.title}</h3>
        ${entry.place && html`<${Badge} kind=${entry.place === 1 ? 'warning' : 'primary'}>Place ${entry.place}<//>`}
      </div>
      <div style="margin:6px 0 10px">
        <${Person} id=${entry.user_id} name=${entry.username}>
          <span class="small muted"> · <${Time} iso=${entry.created_at} /></span>
        <//>
      </div>
      ${!editing && html`<p class=${`prose ${long && !expanded ? 'clamp' : ''}`} style="margin:0">${entry.content}</p>`}
      ${!editing &&
      long &&
      html`<button class="link-btn small" type="button" aria-expanded=${expanded ? 'true' : 'false'}
        onClick=${() => setExpanded(!expanded)}>${expanded ? 'Show less' : 'Read more'}</button>`}
      ${editing &&
      html`<${EditEntry} competition=${competition} entry=${entry}
        onCancel=${() => setEditing(false)} onDone=${() => { setEditing(false); onChanged(); }} />`}
      <div class="entry-actions">
        ${canLike
          ? html`<button class="btn btn-secondary btn-sm" type="button" aria-pressed=${liked ? 'true' : 'false'}
              disabled=${busy} onClick=${toggleLike} data-testid="like"
              aria-label=${`${liked ? 'Unlike' : 'Like'} "${entry.title}", ${plural(likes, 'like')}`}>
              ${liked ? '♥ Liked' : '♡ Like'} · <span data-testid="likes">${likes}</span>
            </button>`
          : html`<span class="badge" data-testid="likes-count">♥ ${plural(likes, 'like')}</span>`}
        <button class="btn btn-ghost btn-sm" type="button" aria-expanded=${showComments ? 'true' : 'false'}
          aria-controls=${commentsId} onClick=${() => setShowComments(!showComments)}>
          ${showComments ? 'Hide comments' : `Comments (${commentCount})`}
        </button>
        ${mine &&
        competition.status === 'active' &&
        !editing &&
        html`<button class="btn btn-ghost btn-sm" type="button" onClick=${() => setEditing(true)}>Edit entry</button>`}
      </div>
      ${error && html`<p class="form-error" role="alert" style="margin-top:10px">${error}</p>`}
      <div id=${commentsId}>
        ${showComments &&
        html`<${Comments} competition=${competition} entry=${entry} user=${user}
          onCount=${refreshCount} />`}
      </div>
    </article>
  `;
}

