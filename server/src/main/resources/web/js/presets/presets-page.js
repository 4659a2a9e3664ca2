// #/presets: effects presets — the public, system and own ones (GET /effects-presets, by category), a form to
// create or edit one's own (preset-form.js), and per preset (preset-card.js) delete, rate others', and apply any of
// them to one of my projects.
import { h, mount, field, messageBox } from '../shared/dom.js';
import { pagedList } from '../shared/paging.js';
import { currentUser, getAll, isSignedIn } from '../api.js';
import { canChangeAudio } from '../projects/roles.js';
import { presetForm } from './preset-form.js';
import { presetCard } from './preset-card.js';

/** My projects whose effects I may change (owner, admin, editor): what a preset can be applied to. */
async function editableProjects() {
  return (await getAll('/projects')).filter((p) => canChangeAudio(p.my_role));
}

/** Filter by category (what the API can filter by), with the categories seen so far offered as suggestions. */
function categoryFilter(onSubmit) {
  const category = field('Category', { type: 'search', name: 'category', maxlength: 40, list: 'preset-categories' },
    'e.g. vocal, guitar, drums; empty for all');
  const categories = h('datalist', { id: 'preset-categories' });
  const seen = new Set();
  const el = h('form.card.filters.preset-filters', {
    role: 'search',
    'aria-label': 'Filter presets',
    onsubmit: (event) => {
      event.preventDefault();
      onSubmit();
    },
  }, category.row, categories, h('button.primary', { type: 'submit', text: 'Show' }));
  return {
    el,
    wanted: () => category.input.value.trim(),
    /** Offers p's category as a suggestion, once. */
    saw(p) {
      if (p.category && !seen.has(p.category.toLowerCase())) {
        seen.add(p.category.toLowerCase());
        categories.append(h('option', { value: p.category }));
      }
    },
  };
}

export async function presetsPage({ main, showNotice }) {
  const signedIn = isSignedIn();
  const me = currentUser();
  const projects = signedIn ? await editableProjects() : [];
  const list = h('ul.cards.presets', { id: 'presets-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more presets' });
  const status = messageBox();
  const presetsHeading = h('h2#h-presets', { text: 'Presets', tabindex: '-1' });
  const filter = categoryFilter(() => load(true).catch((e) => showNotice(e.message)));
  const form = signedIn ? presetForm({ projects, onSaved: () => load(true) }) : null;

  const card = (p) => presetCard(p, {
    signedIn,
    me,
    projects,
    onApplied: () => form?.fillSources(),
    onEdit: (preset) => form.edit(preset),
    onDeleted: (li) => {
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      status.show(`Preset “${p.name}” deleted.`, 'ok');
      (next?.querySelector('button, select') || presetsHeading).focus();
    },
  });

  const { load } = pagedList({
    list, more, path: '/effects-presets',
    query: () => (filter.wanted() ? { category: filter.wanted() } : {}),
    draw: (items) => items.map((p) => {
      filter.saw(p);
      return card(p);
    }),
    empty: () => (filter.wanted() ? `No presets in the category “${filter.wanted()}”.` : 'No presets yet.'),
    onReset: () => status.clear(),
    onError: (e) => showNotice(e.message),
  });

  mount(main,
    h('h1', { text: 'Effects presets' }),
    h('p.meta', { text: 'Ready-made effects chains: yours, other musicians\' public ones, and Studio Nexus\'s own. '
      + 'Apply one to a project to replace its effects chain.' }),
    signedIn ? null : h('p', {}, h('a', { href: '#/signin', text: 'Sign in' }), ' to create, apply and rate presets.'),
    form?.el,
    presetsHeading,
    filter.el,
    status.el,
    list,
    more);
  await load(true);
}
