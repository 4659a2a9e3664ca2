// #/profiles/{username}: a profile, follow/unfollow, followers and following.
import { h, mount, messageBox } from '../shared/dom.js';
import { currentUser, del, get, isSignedIn, put } from '../api.js';

function personList(id, label, page) {
  const list = h('ul.people', { id, 'aria-label': label });
  if (page.items.length === 0) list.append(h('li.empty', { text: 'Nobody yet.' }));
  for (const p of page.items) {
    list.append(h('li', { 'data-username': p.username },
      h('a', { href: `#/profiles/${encodeURIComponent(p.username)}`, text: `@${p.username}` }),
      p.full_name ? h('span.meta', { text: p.full_name }) : null));
  }
  return list;
}

export async function profilePage({ main, params: [encoded] }) {
  const username = decodeURIComponent(encoded);
  const path = `/profiles/${encodeURIComponent(username)}`;
  let profile = await get(path);
  const message = messageBox();
  const counts = h('p.meta', { id: 'follow-counts' });
  const showCounts = () => {
    counts.textContent = `${profile.follower_count} followers · ${profile.following_count} following`;
  };
  showCounts();
  const lists = h('div.profile-lists');

  async function loadLists() {
    const [followers, following] = await Promise.all([get(`${path}/followers?limit=50`), get(`${path}/following?limit=50`)]);
    lists.replaceChildren(
      h('section.card', { 'aria-labelledby': 'h-followers' }, h('h2#h-followers', { text: 'Followers' }),
        personList('followers', 'Followers', followers)),
      h('section.card', { 'aria-labelledby': 'h-following' }, h('h2#h-following', { text: 'Following' }),
        personList('following', 'Following', following)));
  }

  const me = currentUser()?.username === profile.username;
  let followButton = null;
  if (isSignedIn() && !me) {
    const label = () => (profile.followed_by_me ? 'Unfollow' : 'Follow');
    followButton = h('button.primary', {
      type: 'button', id: 'follow', text: label(), 'aria-pressed': String(Boolean(profile.followed_by_me)),
      onclick: async () => {
        message.clear();
        followButton.disabled = true;
        try {
          if (profile.followed_by_me) await del(`${path}/follow`);
          else await put(`${path}/follow`);
          profile = await get(path);
          followButton.textContent = label();
          followButton.setAttribute('aria-pressed', String(Boolean(profile.followed_by_me)));
          showCounts();
          await loadLists();
        } catch (e) {
          message.show(e.message);
        } finally {
          followButton.disabled = false;
        }
      },
    });
  }

  mount(main,
    h('h1', { text: `@${profile.username}` }),
    profile.full_name ? h('p.full-name', { text: profile.full_name }) : null,
    profile.bio ? h('p.description', { text: profile.bio }) : null,
    /^https?:\/\//i.test(profile.website_url || '')
      ? h('p.website', {}, h('a', { href: profile.website_url, rel: 'nofollow ugc noopener', text: profile.website_url }))
      : null,
    counts,
    h('div.actions', {}, followButton, me ? h('span.meta', {}, 'This is you. ', h('a', { href: '#/settings', text: 'Edit your profile' })) : null),
    message.el, lists);
  await loadLists().catch((e) => message.show(e.message));
}
