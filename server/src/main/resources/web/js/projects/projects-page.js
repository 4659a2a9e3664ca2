// #/projects: my projects (and those shared with me), and a form to start a new one.
import { h, mount, field, messageBox } from '../shared/dom.js';
import { get, post } from '../api.js';
import { projectCard } from './project-card.js';

export async function projectsPage({ main, go, showNotice }) {
  const list = h('ul.cards', { id: 'my-projects', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more' });
  let cursor = null;

  async function load(reset) {
    const query = new URLSearchParams({ limit: '20' });
    if (!reset && cursor) query.set('cursor', cursor);
    const page = await get(`/projects?${query}`);
    if (reset) list.replaceChildren();
    for (const p of page.items) list.append(projectCard(p, { showNotice, openable: true }));
    if (reset && page.items.length === 0) list.append(h('li.empty', { text: 'No projects yet: create your first one above.' }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => showNotice(e.message)));

  const title = field('Title', { name: 'title', required: true, maxlength: 200 });
  const genre = field('Genre', { name: 'genre', maxlength: 50 });
  const tags = field('Tags', { name: 'tags' }, 'Separated by commas, e.g. vocals, demo');
  const isPublic = h('input', { type: 'checkbox', id: 'new-public', name: 'is_public' });
  const message = messageBox();
  const create = h('button.primary', { type: 'submit', text: 'Create project' });
  const form = h('form.card', {
    id: 'new-project',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      create.disabled = true;
      try {
        const project = await post('/projects', {
          title: title.input.value.trim(),
          genre: genre.input.value.trim() || null,
          tags: tags.input.value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean),
          is_public: isPublic.checked,
        });
        go(`/projects/${project.id}`);
      } catch (e) {
        message.show(e.message);
        title.input.focus();
      } finally {
        create.disabled = false;
      }
    },
  }, h('h2', { text: 'New project' }), title.row, genre.row, tags.row,
  h('div.field.inline', {}, isPublic, h('label', { for: 'new-public', text: 'Public (anyone can find and play it)' })),
  message.el, create);

  mount(main, h('h1', { text: 'My projects' }), form, h('h2', { text: 'Your projects' }), list, more);
  await load(true);
}
