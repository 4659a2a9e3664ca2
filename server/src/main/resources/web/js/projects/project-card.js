// One project as a list item (My projects, Explore): title, maker, genre, tags, plays, the like button.
import { h } from '../shared/dom.js';
import { formatSeconds } from '../shared/words.js';
import { del, isSignedIn, put } from '../api.js';

/** One project as a list item: title (link when openable), maker, genre, tags, like button, then any `actions`. */
export function projectCard(p, { showNotice, openable = false, onTag, actions = [] } = {}) {
  const likeCount = h('span.count', { text: String(p.like_count ?? 0) });
  let liked = Boolean(p.liked_by_me);
  const like = h('button.like', {
    type: 'button',
    'aria-pressed': String(liked),
    'aria-label': `Like ${p.title}`,
    disabled: !isSignedIn(),
    title: isSignedIn() ? null : 'Sign in to like projects',
    onclick: async () => {
      like.disabled = true;
      try {
        const answer = liked ? await del(`/projects/${p.id}/like`) : await put(`/projects/${p.id}/like`);
        liked = answer ? Boolean(answer.liked) : !liked;
        if (answer && answer.like_count !== undefined) likeCount.textContent = String(answer.like_count);
        like.setAttribute('aria-pressed', String(liked));
      } catch (e) {
        showNotice?.(e.message);
      } finally {
        like.disabled = false;
      }
    },
  }, h('span', { 'aria-hidden': 'true', text: '♥ ' }), likeCount);
  const title = openable ? h('a', { href: `#/projects/${p.id}`, text: p.title }) : document.createTextNode(p.title);
  const tags = (p.tags || []).map((t) => h('li', {}, onTag
    ? h('button.tag', { type: 'button', text: `#${t}`, onclick: () => onTag(t) })
    : h('span.tag', { text: `#${t}` })));
  return h('li.card.project', { 'data-project-id': p.id },
    h('h3', {}, title),
    h('p.meta', {},
      p.owner_username ? 'by ' : '',
      p.owner_username ? h('a', { href: `#/profiles/${encodeURIComponent(p.owner_username)}`, text: `@${p.owner_username}` }) : '',
      p.genre ? ` · ${p.genre}` : '',
      p.duration_seconds ? ` · ${formatSeconds(p.duration_seconds)}` : '',
      ` · ${p.is_public ? 'public' : 'private'}`,
      p.my_role && p.my_role !== 'owner' ? ` · shared with you (${p.my_role})` : ''),
    p.description ? h('p.description', { text: p.description }) : null,
    tags.length ? h('ul.tags', { 'aria-label': 'Tags' }, tags) : null,
    h('div.actions', {}, like, h('span.plays', { text: `${p.play_count ?? 0} plays` }), ...actions));
}
