// #/explore: public projects, featured first, found by words, genre and tags, recent or popular.
import { h, mount, field } from '../shared/dom.js';
import { pagedList } from '../shared/paging.js';
import { get } from '../api.js';
import { projectCard } from '../projects/project-card.js';

export async function explorePage({ main, showNotice }) {
  const q = field('Search', { type: 'search', name: 'q', maxlength: 200 });
  const genre = field('Genre', { name: 'genre', maxlength: 50 });
  const tag = field('Tags', { name: 'tag' }, 'All must match; separated by commas');
  const sort = field('Order', { tag: 'select', name: 'sort' });
  sort.input.append(h('option', { value: 'recent', text: 'Recent' }), h('option', { value: 'popular', text: 'Popular' }));
  const list = h('ul.cards', { id: 'explore-results', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more' });
  const onTag = (t) => {
    tag.input.value = t;
    load(true).catch((e) => showNotice(e.message));
  };
  const { load } = pagedList({
    list, more, path: '/explore',
    query: () => {
      const query = new URLSearchParams({ sort: sort.input.value });
      if (q.input.value.trim()) query.set('q', q.input.value.trim());
      if (genre.input.value.trim()) query.set('genre', genre.input.value.trim());
      for (const t of tag.input.value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) query.append('tag', t);
      return query;
    },
    draw: (items) => items.map((p) => projectCard(p, { showNotice, onTag, openable: p.my_role != null })),
    empty: () => 'Nothing matches yet.',
    onError: (e) => showNotice(e.message),
  });

  const form = h('form.card.filters', {
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      load(true).catch((e) => showNotice(e.message));
    },
  }, q.row, genre.row, tag.row, sort.row, h('button.primary', { type: 'submit', text: 'Find' }));
  sort.input.addEventListener('change', () => load(true).catch((e) => showNotice(e.message)));

  // featured projects (chosen by the administrators) above the search, hidden when there are none
  const featuredList = h('ul.cards.featured', { id: 'featured-projects' });
  const featured = h('section.featured-strip', { id: 'featured', 'aria-labelledby': 'h-featured', hidden: true },
    h('h2#h-featured', { text: 'Featured' }), featuredList);
  async function loadFeatured() {
    const page = await get('/explore/featured?limit=6');
    featuredList.replaceChildren(...page.items.map((p) => projectCard(p, { showNotice, openable: p.my_role != null })));
    featured.hidden = page.items.length === 0;
  }

  mount(main, h('h1', { text: 'Explore' }), featured, h('h2.results-heading', { text: 'Find projects' }), form, list, more);
  await Promise.all([load(true), loadFeatured().catch((e) => showNotice(e.message))]);
}
