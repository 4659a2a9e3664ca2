// #/projects: my projects (and those shared with me), and a form to start a new one.
import { h, mount, field, messageBox } from '../shared/dom.js';
import { pagedList } from '../shared/paging.js';
import { post } from '../api.js';
import { projectCard } from './project-card.js';

export async function projectsPage({ main, go, showNotice }) {
  const list = h('ul.cards', { id: 'my-projects', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more' });
  const { load } = pagedList({
    list, more, path: '/projects',
    draw: (items) => items.map((p) => projectCard(p, { showNotice, openable: true })),
    empty: () => 'No projects yet: create your first one above.',
    onError: (e) => showNotice(e.message),
  });

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
