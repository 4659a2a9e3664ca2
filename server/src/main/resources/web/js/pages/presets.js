// #/presets: effects presets — the public, system and own ones (GET /effects-presets, by category), a form to
// create or edit one's own (the chain taken from one of my projects or written as JSON), delete, rate others',
// and apply any of them to one of my projects.
import { h, mount, field, messageBox, fieldErrors } from '../dom.js';
import { currentUser, del, get, isSignedIn, patch, post, put } from '../api.js';

/** "room_size" → "Room size" */
const words = (name) => String(name).charAt(0).toUpperCase() + String(name).slice(1).replaceAll('_', ' ');

function chainOf(value) {
  if (Array.isArray(value)) return value;
  if (value && Array.isArray(value.chain)) return value.chain;
  return [];
}

function chainSummary(chain) {
  const list = chainOf(chain);
  return list.length ? list.map((e) => words(e.type || '?')).join(' → ') : 'no effects';
}

function ratingWords(p) {
  const count = Number(p.rating_count) || 0;
  if (!count) return 'Not rated yet';
  const average = Number(p.rating_average).toLocaleString(undefined, { maximumFractionDigits: 1 });
  return `Rated ${average} of 5 by ${count} ${count === 1 ? 'musician' : 'musicians'}`;
}

/** My projects whose effects I may change (owner, admin, editor): what a preset can be applied to. */
async function editableProjects() {
  const projects = [];
  let cursor = null;
  for (let pages = 0; pages < 5; pages++) {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const page = await get(`/projects?${query}`);
    projects.push(...page.items.filter((p) => ['owner', 'admin', 'editor'].includes(p.my_role)));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return projects;
}

let uid = 0;

export async function presetsPage({ main, showNotice }) {
  const signedIn = isSignedIn();
  const me = currentUser();
  let projects = signedIn ? await editableProjects() : [];
  const list = h('ul.cards.presets', { id: 'presets-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more presets' });
  let cursor = null;

  // ---- filter by category (what the API can filter by)
  const category = field('Category', { type: 'search', name: 'category', maxlength: 40, list: 'preset-categories' },
    'e.g. vocal, guitar, drums; empty for all');
  const categories = h('datalist', { id: 'preset-categories' });
  const seenCategories = new Set();
  const filter = h('form.card.filters.preset-filters', {
    role: 'search',
    'aria-label': 'Filter presets',
    onsubmit: (event) => {
      event.preventDefault();
      load(true).catch((e) => showNotice(e.message));
    },
  }, category.row, categories, h('button.primary', { type: 'submit', text: 'Show' }));

  // ---- the create/edit form
  const form = signedIn ? presetForm() : null;

  function presetForm() {
    let editing = null;
    const heading = h('h2#h-preset-form', { text: 'New preset' });
    const name = field('Name', { name: 'name', required: true, maxlength: 100 });
    const description = field('Description', { tag: 'textarea', name: 'description', maxlength: 2000, rows: 3 });
    const cat = field('Category (optional)', { name: 'category', maxlength: 40, list: 'preset-categories' }, 'e.g. vocal, guitar, drums');
    const isPublic = h('input', { type: 'checkbox', id: 'preset-public', name: 'is_public' });
    const publicRow = h('div.field.inline', {}, isPublic,
      h('label', { for: 'preset-public', text: 'Public (other musicians can find, apply and rate it)' }));
    const source = field('Take the chain of one of my projects', { tag: 'select', name: 'source' },
      'Fills in the chain below with that project\'s current effects');
    const chain = field('Effects chain (JSON)', { tag: 'textarea', name: 'effects_chain', rows: 6, required: true, spellcheck: 'false' },
      'A list such as [{"type": "reverb", "settings": {"room_size": 0.5}}]; build one in a project\'s studio');
    chain.input.classList.add('code');
    chain.input.value = '[]';
    const fillSources = () => {
      source.input.replaceChildren(h('option', { value: '', text: projects.length ? '— choose a project —' : 'You have no projects yet' }));
      for (const p of projects) {
        const n = chainOf(p.effects_settings).length;
        source.input.append(h('option', { value: p.id, text: `${p.title} (${n} ${n === 1 ? 'effect' : 'effects'})` }));
      }
    };
    fillSources();
    source.input.addEventListener('change', () => {
      const project = projects.find((p) => p.id === source.input.value);
      if (project) chain.input.value = JSON.stringify(chainOf(project.effects_settings), null, 2);
    });
    const errors = fieldErrors({ name, description, category: cat, effects_chain: chain, is_public: { row: publicRow, input: isPublic } });
    const message = messageBox();
    const save = h('button.primary', { type: 'submit', text: 'Create preset' });
    const cancel = h('button', { type: 'button', text: 'Cancel editing', hidden: true });

    function reset() {
      editing = null;
      heading.textContent = 'New preset';
      save.textContent = 'Create preset';
      cancel.hidden = true;
      el.reset();
      chain.input.value = '[]';
      errors.clear();
    }
    cancel.addEventListener('click', () => {
      reset();
      message.clear();
      name.input.focus();
    });

    const el = h('form', {
      id: 'preset-form',
      'aria-labelledby': 'h-preset-form',
      onsubmit: async (event) => {
        event.preventDefault();
        message.clear();
        errors.clear();
        let parsed;
        try {
          parsed = JSON.parse(chain.input.value);
        } catch (e) {
          errors.show([{ field: 'effects_chain', message: `is not valid JSON (${e.message})` }]);
          message.show('Please correct the fields marked below.');
          return;
        }
        const body = {
          name: name.input.value.trim(),
          description: description.input.value.trim() || null,
          category: cat.input.value.trim() || null,
          is_public: isPublic.checked,
          effects_chain: Array.isArray(parsed?.chain) ? parsed.chain : parsed,
        };
        if (!editing && !body.description) delete body.description;
        if (!editing && !body.category) delete body.category;
        save.disabled = true;
        try {
          const saved = editing ? await patch(`/effects-presets/${editing.id}`, body) : await post('/effects-presets', body);
          const verb = editing ? 'saved' : 'created';
          reset();
          message.show(`Preset “${saved.name}” ${verb}.`, 'ok');
          await load(true);
        } catch (e) {
          const unplaced = errors.show(e.problem?.errors || []);
          const placed = (e.problem?.errors || []).length > unplaced.length;
          if (!placed && e.status === 422 && /effects_chain|effects\[/.test(e.message)) {
            errors.show([{ field: 'effects_chain', message: e.message }]);
            message.show('Please correct the fields marked below.');
          } else {
            message.show(placed ? 'Please correct the fields marked below.' : e.message);
          }
        } finally {
          save.disabled = false;
        }
      },
    }, heading, name.row, description.row, cat.row, publicRow, source.row, chain.row, message.el,
    h('div.actions', {}, save, cancel));

    const panel = h('details.card.form-panel', { id: 'preset-panel' },
      h('summary', { text: 'Create or edit a preset' }), el);

    return {
      el: panel,
      fillSources,
      edit(p) {
        panel.open = true;
        editing = p;
        errors.clear();
        message.clear();
        heading.textContent = `Edit “${p.name}”`;
        save.textContent = 'Save changes';
        cancel.hidden = false;
        name.input.value = p.name;
        description.input.value = p.description || '';
        cat.input.value = p.category || '';
        isPublic.checked = Boolean(p.is_public);
        source.input.value = '';
        chain.input.value = JSON.stringify(chainOf(p.effects_chain), null, 2);
        el.scrollIntoView({ block: 'start' });
        name.input.focus();
      },
    };
  }

  // ---- one preset
  function card(p) {
    const n = ++uid;
    const own = Boolean(me && p.user_id === me.user_id);
    const message = messageBox();
    const rating = h('p.rating', { text: ratingWords(p) });
    const uses = h('span.uses', { text: `applied ${p.usage_count ?? 0} ${p.usage_count === 1 ? 'time' : 'times'}` });
    const author = p.is_system_preset || !p.user_id ? 'Studio Nexus preset'
      : own ? 'by you' : null;
    const meta = h('p.meta', {},
      author ?? ['by ', p.author_username
        ? h('a', { href: `#/profiles/${encodeURIComponent(p.author_username)}`, text: `@${p.author_username}` })
        : 'a musician'],
      own ? ` · ${p.is_public ? 'public' : 'private'}` : '',
      ' · ', uses);
    const tags = p.category ? h('ul.tags', { 'aria-label': 'Category' }, h('li', {}, h('span.tag', { text: p.category }))) : null;
    const actions = h('div.preset-actions');

    if (signedIn) {
      // apply to one of my projects
      const target = field('Apply to my project', { tag: 'select', id: `apply-target-${n}`, name: 'project_id' });
      target.input.append(h('option', { value: '', text: projects.length ? 'choose…' : 'no projects yet' }));
      for (const project of projects) target.input.append(h('option', { value: project.id, text: project.title }));
      const apply = h('button.primary', { type: 'submit', text: 'Apply', 'aria-label': `Apply “${p.name}”` });
      actions.append(h('form.inline-form.apply', {
        onsubmit: async (event) => {
          event.preventDefault();
          message.clear();
          const project = projects.find((x) => x.id === target.input.value);
          if (!project) {
            message.show('Choose one of your projects first.');
            target.input.focus();
            return;
          }
          apply.disabled = true;
          try {
            const answer = await post(`/effects-presets/${p.id}/apply`, { project_id: project.id });
            project.effects_settings = answer.effects_settings;
            p.usage_count = answer.usage_count;
            uses.textContent = `applied ${p.usage_count} ${p.usage_count === 1 ? 'time' : 'times'}`;
            form?.fillSources();
            message.show(`Applied “${p.name}” to “${project.title}”: its effects chain is now ${chainSummary(answer.effects_settings)}. `,
              'ok', h('a', { href: `#/projects/${project.id}`, text: `Open “${project.title}”` }));
          } catch (e) {
            message.show(e.message);
          } finally {
            apply.disabled = false;
          }
        },
      }, target.row, apply));

      if (!own) {
        const choice = field('Your rating', { tag: 'select', id: `rating-${n}`, name: 'rating' });
        choice.input.append(h('option', { value: '', text: 'choose…' }));
        for (const [value, label] of [[5, '5 — excellent'], [4, '4 — good'], [3, '3 — fair'], [2, '2 — poor'], [1, '1 — bad']]) {
          choice.input.append(h('option', { value: String(value), text: label, selected: p.my_rating === value }));
        }
        const rate = h('button', { type: 'submit', text: 'Rate', 'aria-label': `Rate “${p.name}”` });
        actions.append(h('form.inline-form.rate', {
          onsubmit: async (event) => {
            event.preventDefault();
            message.clear();
            if (!choice.input.value) {
              message.show('Choose a rating from 1 to 5 first.');
              choice.input.focus();
              return;
            }
            rate.disabled = true;
            try {
              const updated = await put(`/effects-presets/${p.id}/rating`, { rating: Number(choice.input.value) });
              rating.textContent = ratingWords(updated);
              message.show(`Thank you: your rating of ${updated.my_rating} is saved.`, 'ok');
            } catch (e) {
              message.show(e.message);
            } finally {
              rate.disabled = false;
            }
          },
        }, choice.row, rate));
      } else {
        const confirmBox = h('div.confirm', { hidden: true, role: 'group', 'aria-label': `Delete “${p.name}”?` });
        const edit = h('button', { type: 'button', text: 'Edit', 'aria-label': `Edit “${p.name}”`, onclick: () => form.edit(p) });
        const remove = h('button.danger', { type: 'button', text: 'Delete…', 'aria-label': `Delete “${p.name}”…`, 'aria-expanded': 'false' });
        const yes = h('button.danger', { type: 'button', text: 'Yes, delete it' });
        const no = h('button', { type: 'button', text: 'Keep it' });
        confirmBox.append(h('span', { text: `Delete “${p.name}” for good?` }), yes, no);
        remove.addEventListener('click', () => {
          confirmBox.hidden = false;
          remove.setAttribute('aria-expanded', 'true');
          no.focus();
        });
        no.addEventListener('click', () => {
          confirmBox.hidden = true;
          remove.setAttribute('aria-expanded', 'false');
          remove.focus();
        });
        yes.addEventListener('click', async () => {
          yes.disabled = true;
          try {
            await del(`/effects-presets/${p.id}`);
            const next = li.nextElementSibling || li.previousElementSibling;
            li.remove();
            status.show(`Preset “${p.name}” deleted.`, 'ok');
            (next?.querySelector('button, select') || presetsHeading).focus();
          } catch (e) {
            message.show(e.message);
            yes.disabled = false;
          }
        });
        actions.append(h('div.actions', {}, edit, remove), confirmBox);
      }
    }

    const li = h('li.card.preset', { 'data-preset-id': p.id, 'data-name': p.name },
      h('h3', { text: p.name }),
      meta,
      tags,
      p.description ? h('p.description', { text: p.description }) : null,
      h('p.chain-summary', {}, h('span.meta', { text: 'Effects: ' }), chainSummary(p.effects_chain)),
      rating,
      actions,
      message.el);
    return li;
  }

  const status = messageBox();
  const presetsHeading = h('h2#h-presets', { text: 'Presets', tabindex: '-1' });

  async function load(reset) {
    const query = new URLSearchParams({ limit: '20' });
    const wanted = category.input.value.trim();
    if (wanted) query.set('category', wanted);
    if (!reset && cursor) query.set('cursor', cursor);
    const page = await get(`/effects-presets?${query}`);
    if (reset) {
      list.replaceChildren();
      status.clear();
    }
    for (const p of page.items) {
      list.append(card(p));
      if (p.category && !seenCategories.has(p.category.toLowerCase())) {
        seenCategories.add(p.category.toLowerCase());
        categories.append(h('option', { value: p.category }));
      }
    }
    if (reset && page.items.length === 0) {
      list.append(h('li.empty', { text: wanted ? `No presets in the category “${wanted}”.` : 'No presets yet.' }));
    }
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => showNotice(e.message)));

  mount(main,
    h('h1', { text: 'Effects presets' }),
    h('p.meta', { text: 'Ready-made effects chains: yours, other musicians\' public ones, and Studio Nexus\'s own. '
      + 'Apply one to a project to replace its effects chain.' }),
    signedIn ? null : h('p', {}, h('a', { href: '#/signin', text: 'Sign in' }), ' to create, apply and rate presets.'),
    form?.el,
    presetsHeading,
    filter,
    status.el,
    list,
    more);
  await load(true);
}
