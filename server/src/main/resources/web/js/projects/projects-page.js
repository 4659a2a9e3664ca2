// #/projects: my projects (and those shared with me), a form to start a new one, and deleting one of mine (which
// gives its place in the plan back: the way out that the free plan's project limit names).
import { h, mount, field, messageBox } from '../shared/dom.js';
import { pagedList } from '../shared/paging.js';
import { inlineConfirm } from '../shared/confirm.js';
import { del, post } from '../api.js';
import { showProblem } from '../account/way-out.js';
import { projectCard } from './project-card.js';

/** "Delete…" on a project of mine: asks first, then deletes it with everything in it; onDeleted(p) after. */
function deleteControls(p, { message, onDeleted }) {
  const opener = h('button.danger', {
    type: 'button', text: 'Delete…', 'aria-label': `Delete ${p.title}…`, 'aria-expanded': 'false',
  });
  const yes = h('button.danger', { type: 'button', text: 'Yes, delete it' });
  const box = inlineConfirm(opener, {
    label: `Delete ${p.title}?`,
    question: h('p', { text: `“${p.title}” goes for good, with its audio, tracks, versions and AI results. `
      + 'Its place in your plan and its storage come back.' }),
    yes,
    no: h('button', { type: 'button', text: 'Keep it' }),
    onYes: async () => {
      message.clear();
      yes.disabled = true;
      try {
        await del(`/projects/${p.id}`);
        message.show(`Deleted “${p.title}”.`, 'ok');
        await onDeleted(p);
      } catch (e) {
        showProblem(message, e);
        yes.disabled = false;
      }
    },
  });
  return [opener, box];
}

export async function projectsPage({ main, go, showNotice }) {
  const message = messageBox();
  const list = h('ul.cards', { id: 'my-projects', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more' });
  const { load } = pagedList({
    list, more, path: '/projects',
    draw: (items) => items.map((p) => projectCard(p, {
      showNotice, openable: true,
      actions: p.my_role === 'owner' ? deleteControls(p, { message, onDeleted: () => load(true) }) : [],
    })),
    empty: () => 'No projects yet: create your first one above.',
    onError: (e) => showNotice(e.message),
  });

  const title = field('Title', { name: 'title', required: true, maxlength: 200 });
  const genre = field('Genre', { name: 'genre', maxlength: 50 });
  const tags = field('Tags', { name: 'tags' }, 'Separated by commas, e.g. vocals, demo');
  const isPublic = h('input', { type: 'checkbox', id: 'new-public', name: 'is_public' });
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
        showProblem(message, e);
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
