// Featured projects: what Explore shows first — featured now, feature by id, or pick from a search of Explore.
import { h, field, messageBox } from '../shared/dom.js';
import { get, put } from '../api.js';
import { UUID, section } from './admin-section.js';

export function featuringSection() {
  const message = messageBox();
  const featuredList = h('ul.admin-list', { id: 'featured-now', 'aria-live': 'polite' });
  const results = h('ul.admin-list', { id: 'featuring-candidates' });

  async function setFeatured(id, featured, title) {
    message.clear();
    const answer = await put(`/admin/projects/${id}/featured`, { is_featured: featured });
    message.show(answer.is_featured ? `“${title || id}” is featured: it shows first on Explore. ` : `“${title || id}” is no longer featured.`,
      'ok', answer.is_featured ? h('a', { href: '#/explore', text: 'See Explore' }) : null);
    await Promise.all([loadFeatured(), search()]);
  }

  function projectRow(p) {
    const button = h('button', {
      type: 'button',
      text: p.is_featured ? 'Stop featuring' : 'Feature',
      'aria-label': `${p.is_featured ? 'Stop featuring' : 'Feature'} “${p.title}”`,
      'data-featured': String(Boolean(p.is_featured)),
      onclick: async () => {
        button.disabled = true;
        try {
          await setFeatured(p.id, !p.is_featured, p.title);
        } catch (e) {
          message.show(e.message);
          button.disabled = false;
        }
      },
    });
    return h('li', { 'data-project-id': p.id },
      h('span.grow', {}, h('strong', { text: p.title }),
        h('span.meta', { text: ` by @${p.owner_username || '?'}${p.is_featured ? ' · featured' : ''}` })),
      button);
  }

  async function loadFeatured() {
    const page = await get('/explore/featured?limit=50');
    featuredList.replaceChildren(...page.items.map(projectRow));
    if (!page.items.length) featuredList.append(h('li.empty', { text: 'No project is featured.' }));
  }

  const q = field('Search public projects', { type: 'search', id: 'featuring-q', name: 'q', maxlength: 200 });
  async function search() {
    const query = new URLSearchParams({ limit: '10', sort: 'recent' });
    if (q.input.value.trim()) query.set('q', q.input.value.trim());
    const page = await get(`/explore?${query}`);
    results.replaceChildren(...page.items.map(projectRow));
    if (!page.items.length) results.append(h('li.empty', { text: 'No public project matches.' }));
  }
  const searchForm = h('form.inline-form', {
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      search().catch((e) => message.show(e.message));
    },
  }, q.row, h('button', { type: 'submit', text: 'Search' }));

  const byId = field('Project id', { id: 'feature-id', name: 'project_id', maxlength: 36, autocomplete: 'off', spellcheck: 'false' },
    'The id in a project\'s address: #/projects/<id>');
  const byIdForm = h('form.inline-form', {
    id: 'feature-by-id',
    onsubmit: async (event) => {
      event.preventDefault();
      const id = byId.input.value.trim().replace(/^.*#\/projects\//, '');
      const featured = event.submitter?.value !== 'off';
      if (!UUID.test(id)) {
        message.show('A project id looks like 1b4e28ba-2fa1-11d2-883f-0016d3cca427.');
        byId.input.focus();
        return;
      }
      try {
        await setFeatured(id, featured);
      } catch (e) {
        message.show(e.message);
      }
    },
  }, byId.row, h('button.primary', { type: 'submit', value: 'on', text: 'Feature' }),
  h('button', { type: 'submit', value: 'off', text: 'Stop featuring' }));

  return {
    el: section('featuring', 'Featured projects', message.el,
      h('h3', { text: 'Featured now' }), featuredList,
      h('h3', { text: 'Feature by id' }), byIdForm,
      h('h3', { text: 'From Explore' }), searchForm, results),
    load: () => Promise.all([loadFeatured(), search()]).catch((e) => message.show(e.message)),
  };
}
