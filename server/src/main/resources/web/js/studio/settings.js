// "Project settings": title, description, genre, tags and visibility, saved with PATCH /projects/{id}; deleting the
// project, after typing its title, with DELETE /projects/{id}. What a musician may change follows their role (owner:
// all of it; collaborator admins and editors: everything but visibility and deletion; viewers: read only), and the
// API decides again.
import { h, field, fieldErrors, messageBox } from '../shared/dom.js';
import { inlineConfirm } from '../shared/confirm.js';
import { del, patch } from '../api.js';
import { canChangeAudio } from '../projects/roles.js';
import { studioCard } from './card.js';

export const MAX_TAGS = 20;

/** "Vocals, demo,, lo-fi " → ['vocals', 'demo', 'lo-fi']: trimmed, lower case, no empties or repeats (as the API keeps them). */
export function tagsOf(text) {
  return [...new Set(String(text).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The tags as chips under the field, each with a button that takes it out of the field. */
function tagChips(input) {
  const list = h('ul.tags.tag-chips', { 'aria-label': 'Tags as saved', 'aria-live': 'polite' });
  function draw() {
    const tags = tagsOf(input.value);
    list.replaceChildren(...tags.map((tag) => h('li.tag.chip', {},
      h('span', { text: tag }),
      h('button.chip-remove', {
        type: 'button', text: '×', 'aria-label': `Remove tag ${tag}`, title: `Remove tag ${tag}`,
        onclick: () => {
          input.value = tagsOf(input.value).filter((t) => t !== tag).join(', ');
          draw();
          input.focus();
        },
      }))));
    list.hidden = tags.length === 0;
  }
  input.addEventListener('input', draw);
  draw();
  return { el: list, draw };
}

/** Owner only: delete the project once its title is typed, then go to the projects list. */
function deleteZone({ project, go }) {
  const opener = h('button.danger#project-delete', {
    type: 'button', text: 'Delete project…', 'aria-expanded': 'false', 'aria-controls': 'project-delete-confirm',
  });
  const typed = field('Type the project’s title to confirm', { id: 'project-delete-title', autocomplete: 'off', spellcheck: 'false' });
  const yes = h('button.danger.strong#project-delete-yes', { type: 'button', text: 'Delete for ever', disabled: true });
  const no = h('button#project-delete-no', { type: 'button', text: 'Cancel' });
  const message = messageBox();
  const titleNow = () => project().title;
  typed.input.addEventListener('input', () => {
    yes.disabled = typed.input.value !== titleNow();
  });
  const question = h('div.delete-question', {},
    h('p', {}, 'This deletes “', h('strong', { text: titleNow() }), '”, its takes, tracks, versions and renders for everyone who works on it. It cannot be undone.'),
    typed.row);
  const confirmBox = inlineConfirm(opener, {
    label: 'Delete this project?',
    question,
    yes,
    no,
    onYes: async () => {
      if (typed.input.value !== titleNow()) return;
      yes.disabled = true;
      message.clear();
      try {
        await del(`/projects/${project().id}`);
        go('/projects', { text: `The project “${titleNow()}” is deleted.`, kind: 'ok' });
      } catch (e) {
        message.show(e.message);
        yes.disabled = false;
      }
    },
  });
  confirmBox.id = 'project-delete-confirm';
  opener.addEventListener('click', () => {
    typed.input.value = '';
    yes.disabled = true;
    question.querySelector('strong').textContent = titleNow();
    typed.input.focus();
  });
  return h('div.danger-zone.project-delete', { role: 'group', 'aria-labelledby': 'h-project-delete' },
    h('h3#h-project-delete', { text: 'Delete this project' }), opener, confirmBox, message.el);
}

/** The project's facts as text, for those who may not change them. */
function readOnly(project) {
  const row = (term, value) => [h('dt', { text: term }), h('dd', { text: value })];
  return h('dl.facts.project-facts', {},
    row('Title', project.title),
    row('Description', project.description || '—'),
    row('Genre', project.genre || '—'),
    row('Tags', (project.tags || []).join(', ') || '—'),
    row('Visibility', project.is_public ? 'Public' : 'Private'));
}

/**
 * The "Project settings" section of `project`; onSaved(project) gets the saved project (the page's title line follows
 * it); go(path, notice) leaves the page after a delete. Returns {section, update(project)}.
 */
export function settingsSection({ project: initial, onSaved, go }) {
  let project = initial;
  const role = project.my_role;
  const owner = role === 'owner';
  const message = messageBox();
  if (!canChangeAudio(role)) {
    const facts = h('div.settings-facts', {}, readOnly(project));
    return {
      section: studioCard('settings', 'Project settings', facts,
        h('p.hint', { text: 'Only the project’s owner, its admins and its editors change these.' })),
      update(p) {
        project = p;
        facts.replaceChildren(readOnly(p));
      },
    };
  }

  const title = field('Title', { id: 'project-title', required: true, maxlength: 200, autocomplete: 'off' });
  const description = field('Description', { tag: 'textarea', id: 'project-description', maxlength: 5000, rows: 3 });
  const genre = field('Genre', { id: 'project-genre', maxlength: 50, autocomplete: 'off' });
  const tags = field('Tags', { id: 'project-tags', autocomplete: 'off' }, `Separated by commas, at most ${MAX_TAGS}, each up to 40 characters`);
  const chips = tagChips(tags.input);
  tags.row.append(chips.el);
  const isPublic = h('input#project-public', { type: 'checkbox', disabled: !owner });
  const publicRow = h('div.field.inline', {}, isPublic,
    h('label', { for: 'project-public', text: 'Public: anyone can find, play and like it' }));
  const publicHint = owner ? null : h('p.hint', { text: 'Only the owner makes a project public or private.' });
  const errors = fieldErrors({
    title, description, genre, tags, is_public: { row: publicRow, input: isPublic },
  });
  const save = h('button.primary#project-save', { type: 'submit', text: 'Save settings' });

  function fill(p) {
    title.input.value = p.title || '';
    description.input.value = p.description || '';
    genre.input.value = p.genre || '';
    tags.input.value = (p.tags || []).join(', ');
    isPublic.checked = Boolean(p.is_public);
    chips.draw();
  }
  fill(project);

  /** Only what differs from the project as last loaded (so an editor never sends the owner's visibility). */
  function changes() {
    const text = (input) => input.value.trim() || null;
    const out = {};
    if (title.input.value.trim() !== project.title) out.title = title.input.value.trim();
    if (text(description.input) !== (project.description || null)) out.description = text(description.input);
    if (text(genre.input) !== (project.genre || null)) out.genre = text(genre.input);
    const wanted = tagsOf(tags.input.value);
    if (!sameList(wanted, project.tags || [])) out.tags = wanted;
    if (owner && isPublic.checked !== Boolean(project.is_public)) out.is_public = isPublic.checked;
    return out;
  }

  const form = h('form#project-settings', {
    noValidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      errors.clear();
      const body = changes();
      if (!Object.keys(body).length) {
        message.show('Nothing to save: the settings are as they were.', 'ok');
        return;
      }
      save.disabled = true;
      try {
        project = { ...project, ...(await patch(`/projects/${project.id}`, body)) };
        fill(project);
        message.show('Settings saved.', 'ok');
        onSaved?.(project);
      } catch (e) {
        // each refused field marked where it is, and the server's own words above the button
        const problems = e.problem?.errors || [];
        const placed = problems.length - errors.show(problems).length;
        message.show(placed > 0 && e.problem?.detail ? e.problem.detail : e.message);
      } finally {
        save.disabled = false;
      }
    },
  }, title.row, description.row, genre.row, tags.row, publicRow, publicHint, message.el, h('div.actions', {}, save));

  return {
    section: studioCard('settings', 'Project settings', form, owner ? deleteZone({ project: () => project, go }) : null),
    /** The project changed elsewhere (a restored version): show what it is now. */
    update(p) {
      project = p;
      fill(p);
    },
  };
}
