import { h, mount, field } from '../dom.js';
import { get } from '../api.js';
import { projectCard } from './cards.js';

export async function explorePage({ main, showNotice }) {
  const q = field('Search', { type: 'search', name: 'q', maxlength: 200 });
  const genre = field('Genre', { name: 'genre', maxlength: 50 });
  const tag = field('Tags', { name: 'tag' }, 'All must match; separated by commas');
  const sort = field('Order', { tag: 'select', name: 'sort' });
  sort.input.append(h('option', { value: 'recent', text: 'Recent' }), h('option', { value: 'popular', text: 'Popular' }));
  const list = h('ul.cards', { id: 'explore-results', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more' });
  let cursor = null;

  async function load(reset) {
    const query = new URLSearchParams({ limit: '20', sort: sort.input.value });
    if (q.input.value.trim()) query.set('q', q.input.value.trim());
    if (genre.input.value.trim()) query.set('genre', genre.input.value.trim());
    for (const t of tag.input.value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) query.append('tag', t);
    if (!reset && cursor) query.set('cursor', cursor);
    const page = await get(`/explore?${query}`);
    if (reset) list.replaceChildren();
    const onTag = (t) => {
      tag.input.value = t;
      load(true).catch((e) => showNotice(e.message));
    };
    for (const p of page.items) list.append(projectCard(p, { showNotice, onTag, openable: p.my_role != null }));
    if (reset && page.items.length === 0) list.append(h('li.empty', { text: 'Nothing matches yet.' }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => showNotice(e.message)));

  const form = h('form.card.filters', {
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      load(true).catch((e) => showNotice(e.message));
    },
  }, q.row, genre.row, tag.row, sort.row, h('button.primary', { type: 'submit', text: 'Find' }));
  sort.input.addEventListener('change', () => load(true).catch((e) => showNotice(e.message)));

  mount(main, h('h1', { text: 'Explore' }), form, list, more);
  await load(true);
}
