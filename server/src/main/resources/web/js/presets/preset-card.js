// One preset as a card: who made it, its category, its chain in words, its rating, and what a signed-in musician
// may do with it — apply it to one of their projects, rate another's, edit or delete their own.
import { h, field, messageBox } from '../shared/dom.js';
import { amount, count } from '../shared/words.js';
import { inlineConfirm } from '../shared/confirm.js';
import { del, post, put } from '../api.js';
import { chainInWords } from '../studio/effects/chain.js';

let uid = 0;

export function ratingWords(p) {
  const n = Number(p.rating_count) || 0;
  if (!n) return 'Not rated yet';
  return `Rated ${amount(p.rating_average, 1)} of 5 by ${count(n, 'musician', 'musicians')}`;
}

const usesWords = (n) => `applied ${count(n, 'time', 'times')}`;

/** "Apply to my project": the preset's chain replaces the chosen project's. */
function applyForm(p, { projects, message, uses, onApplied }, n) {
  const target = field('Apply to my project', { tag: 'select', id: `apply-target-${n}`, name: 'project_id' });
  target.input.append(h('option', { value: '', text: projects.length ? 'choose…' : 'no projects yet' }));
  for (const project of projects) target.input.append(h('option', { value: project.id, text: project.title }));
  const apply = h('button.primary', { type: 'submit', text: 'Apply', 'aria-label': `Apply “${p.name}”` });
  return h('form.inline-form.apply', {
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
        uses.textContent = usesWords(p.usage_count);
        onApplied();
        message.show(`Applied “${p.name}” to “${project.title}”: its effects chain is now ${chainInWords(answer.effects_settings)}. `,
          'ok', h('a', { href: `#/projects/${project.id}`, text: `Open “${project.title}”` }));
      } catch (e) {
        message.show(e.message);
      } finally {
        apply.disabled = false;
      }
    },
  }, target.row, apply);
}

/** "Your rating" of another musician's preset. */
function rateForm(p, { message, rating }, n) {
  const choice = field('Your rating', { tag: 'select', id: `rating-${n}`, name: 'rating' });
  choice.input.append(h('option', { value: '', text: 'choose…' }));
  for (const [value, label] of [[5, '5 — excellent'], [4, '4 — good'], [3, '3 — fair'], [2, '2 — poor'], [1, '1 — bad']]) {
    choice.input.append(h('option', { value: String(value), text: label, selected: p.my_rating === value }));
  }
  const rate = h('button', { type: 'submit', text: 'Rate', 'aria-label': `Rate “${p.name}”` });
  return h('form.inline-form.rate', {
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
  }, choice.row, rate);
}

/** Edit, and Delete… behind an inline question, of my own preset; onDeleted(li) runs once it is gone. */
function ownActions(p, li, { message, onEdit, onDeleted }) {
  const edit = h('button', { type: 'button', text: 'Edit', 'aria-label': `Edit “${p.name}”`, onclick: () => onEdit(p) });
  const remove = h('button.danger', { type: 'button', text: 'Delete…', 'aria-label': `Delete “${p.name}”…`, 'aria-expanded': 'false' });
  const yes = h('button.danger', { type: 'button', text: 'Yes, delete it' });
  const confirmBox = inlineConfirm(remove, {
    label: `Delete “${p.name}”?`,
    question: h('span', { text: `Delete “${p.name}” for good?` }),
    yes,
    no: h('button', { type: 'button', text: 'Keep it' }),
    onYes: async () => {
      yes.disabled = true;
      try {
        await del(`/effects-presets/${p.id}`);
        onDeleted(li());
      } catch (e) {
        message.show(e.message);
        yes.disabled = false;
      }
    },
  });
  return [h('div.actions', {}, edit, remove), confirmBox];
}

/** Who made the preset: Studio Nexus, you, or a musician (linked to their profile). */
function byline(p, own) {
  const author = p.is_system_preset || !p.user_id ? 'Studio Nexus preset' : own ? 'by you' : null;
  return author ?? ['by ', p.author_username
    ? h('a', { href: `#/profiles/${encodeURIComponent(p.author_username)}`, text: `@${p.author_username}` })
    : 'a musician'];
}

/**
 * The card of preset p. signedIn says whether anyone is, me who (or null); projects are mine I may change.
 * onApplied() runs after an apply (the form's project list shows the new chain), onEdit(p) opens the form,
 * onDeleted(li) runs after a delete.
 */
export function presetCard(p, { signedIn, me, projects, onApplied, onEdit, onDeleted }) {
  const n = ++uid;
  const own = Boolean(me && p.user_id === me.user_id);
  const message = messageBox();
  const rating = h('p.rating', { text: ratingWords(p) });
  const uses = h('span.uses', { text: usesWords(p.usage_count ?? 0) });
  const meta = h('p.meta', {}, byline(p, own), own ? ` · ${p.is_public ? 'public' : 'private'}` : '', ' · ', uses);
  const tags = p.category ? h('ul.tags', { 'aria-label': 'Category' }, h('li', {}, h('span.tag', { text: p.category }))) : null;
  const actions = h('div.preset-actions');
  let li = null;

  if (signedIn) {
    actions.append(applyForm(p, { projects, message, uses, onApplied }, n));
    if (!own) actions.append(rateForm(p, { message, rating }, n));
    else actions.append(...ownActions(p, () => li, { message, onEdit, onDeleted }));
  }

  li = h('li.card.preset', { 'data-preset-id': p.id, 'data-name': p.name },
    h('h3', { text: p.name }),
    meta,
    tags,
    p.description ? h('p.description', { text: p.description }) : null,
    h('p.chain-summary', {}, h('span.meta', { text: 'Effects: ' }), chainInWords(p.effects_chain)),
    rating,
    actions,
    message.el);
  return li;
}
