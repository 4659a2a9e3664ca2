// Recent server, API and client errors, filtered by kind and by resolved or not; mark resolved or reopen.
import { h, field, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { pagedList } from '../shared/paging.js';
import { patch } from '../api.js';
import { options, section } from './admin-section.js';

export function errorsSection() {
  const message = messageBox();
  const list = h('ul.admin-list.errors-list', { id: 'error-logs', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more errors' });
  const show = field('Show', { tag: 'select', id: 'errors-resolved', name: 'resolved' });
  options(show.input, ['false', 'true', ''], { false: 'Unresolved', true: 'Resolved', '': 'All' });
  const type = field('Kind', { tag: 'select', id: 'errors-type', name: 'type' });
  options(type.input, ['', 'server_error', 'api_error', 'client_error'],
    { '': 'Any', server_error: 'Server errors', api_error: 'API errors', client_error: 'Client errors' });

  function item(e) {
    const toggle = h('button', {
      type: 'button',
      text: e.resolved ? 'Reopen' : 'Mark resolved',
      'aria-label': `${e.resolved ? 'Reopen' : 'Mark resolved'}: ${e.error_message.slice(0, 80)}`,
      onclick: async () => {
        toggle.disabled = true;
        message.clear();
        try {
          const updated = await patch(`/admin/errors/${e.id}`, { resolved: !e.resolved });
          if (show.input.value !== '' && String(updated.resolved) !== show.input.value) {
            const next = li.nextElementSibling?.querySelector('button') || li.previousElementSibling?.querySelector('button');
            li.remove();
            (next || list.closest('section').querySelector('h2')).focus();
          } else {
            li.replaceWith(item(updated));
          }
          message.show(updated.resolved ? 'Marked resolved.' : 'Reopened.', 'ok');
        } catch (err) {
          message.show(err.message);
          toggle.disabled = false;
        }
      },
    });
    const details = [];
    if (e.error_stack) details.push(h('pre', { text: e.error_stack }));
    if (e.context && Object.keys(e.context).length) details.push(h('pre', { text: JSON.stringify(e.context, null, 2) }));
    const li = h('li.error-log', { 'data-error-id': e.id, 'data-resolved': String(Boolean(e.resolved)) },
      h('div.grow', {},
        h('p', {}, h('span.badge', { text: e.severity || 'error' }), ' ', h('strong', { text: e.error_message })),
        h('p.meta', { text: [formatDateTime(e.created_at), e.error_type, e.error_code, e.resolved ? 'resolved' : 'open']
          .filter(Boolean).join(' · ') }),
        details.length ? h('details', {}, h('summary', { text: 'Stack and context' }), details) : null),
      toggle);
    return li;
  }

  const { load } = pagedList({
    list, more, path: '/admin/errors',
    query: () => {
      const query = {};
      if (show.input.value) query.resolved = show.input.value;
      if (type.input.value) query.type = type.input.value;
      return query;
    },
    draw: (items) => items.map(item),
    empty: () => 'No errors here.',
    onError: (e) => message.show(e.message),
  });
  const reload = () => load(true).catch((e) => message.show(e.message));
  show.input.addEventListener('change', reload);
  type.input.addEventListener('change', reload);
  return {
    el: section('errors', 'Recent errors', h('div.inline-form', {}, show.row, type.row), message.el, list, more),
    load: reload,
  };
}
