// Creating or editing one's own preset: name, description, category, public or not, and the chain — taken from
// one of my projects or written as JSON; a refused field is shown next to its input.
import { h, field, messageBox, fieldErrors } from '../shared/dom.js';
import { count } from '../shared/words.js';
import { patch, post } from '../api.js';
import { chainOf } from '../studio/effects/chain.js';

/** The preset's fields as the API takes them; null when the chain is not JSON (the error is shown then). */
function presetBody(fields, editing, errors, message) {
  let parsed;
  try {
    parsed = JSON.parse(fields.chain.input.value);
  } catch (e) {
    errors.show([{ field: 'effects_chain', message: `is not valid JSON (${e.message})` }]);
    message.show('Please correct the fields marked below.');
    return null;
  }
  const body = {
    name: fields.name.input.value.trim(),
    description: fields.description.input.value.trim() || null,
    category: fields.cat.input.value.trim() || null,
    is_public: fields.isPublic.checked,
    effects_chain: Array.isArray(parsed?.chain) ? parsed.chain : parsed,
  };
  if (!editing && !body.description) delete body.description;
  if (!editing && !body.category) delete body.category;
  return body;
}

/** A refused save in words: next to the fields the API named, else in the form's message. */
function showRefusal(e, errors, message) {
  const unplaced = errors.show(e.problem?.errors || []);
  const placed = (e.problem?.errors || []).length > unplaced.length;
  if (!placed && e.status === 422 && /effects_chain|effects\[/.test(e.message)) {
    errors.show([{ field: 'effects_chain', message: e.message }]);
    message.show('Please correct the fields marked below.');
  } else {
    message.show(placed ? 'Please correct the fields marked below.' : e.message);
  }
}

function formFields(projects) {
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
  source.input.addEventListener('change', () => {
    const project = projects.find((p) => p.id === source.input.value);
    if (project) chain.input.value = JSON.stringify(chainOf(project.effects_settings), null, 2);
  });
  return { name, description, cat, isPublic, publicRow, source, chain };
}

/**
 * The "Create or edit a preset" panel. projects are mine that I may change (the chain can come from one);
 * onSaved() runs after a save (the list reloads). Returns {el, fillSources(), edit(preset)}.
 */
export function presetForm({ projects, onSaved }) {
  let editing = null;
  const heading = h('h2#h-preset-form', { text: 'New preset' });
  const fields = formFields(projects);
  const { name, description, cat, isPublic, publicRow, source, chain } = fields;
  const fillSources = () => {
    source.input.replaceChildren(h('option', { value: '', text: projects.length ? '— choose a project —' : 'You have no projects yet' }));
    for (const p of projects) {
      source.input.append(h('option', { value: p.id, text: `${p.title} (${count(chainOf(p.effects_settings).length, 'effect', 'effects')})` }));
    }
  };
  fillSources();
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

  async function submit(event) {
    event.preventDefault();
    message.clear();
    errors.clear();
    const body = presetBody(fields, editing, errors, message);
    if (!body) return;
    save.disabled = true;
    try {
      const saved = editing ? await patch(`/effects-presets/${editing.id}`, body) : await post('/effects-presets', body);
      const verb = editing ? 'saved' : 'created';
      reset();
      message.show(`Preset “${saved.name}” ${verb}.`, 'ok');
      await onSaved();
    } catch (e) {
      showRefusal(e, errors, message);
    } finally {
      save.disabled = false;
    }
  }

  const el = h('form', { id: 'preset-form', 'aria-labelledby': 'h-preset-form', onsubmit: submit },
    heading, name.row, description.row, cat.row, publicRow, source.row, chain.row, message.el,
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
