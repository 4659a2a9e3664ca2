// Analytics: events counted by type, category or day over a period.
import { h, field, messageBox } from '../shared/dom.js';
import { formatDateTime } from '../shared/words.js';
import { get } from '../api.js';
import { options, section } from './admin-section.js';

export function analyticsSection() {
  const message = messageBox();
  const group = field('Count by', { tag: 'select', id: 'analytics-group', name: 'group_by' });
  options(group.input, ['event_type', 'event_category', 'day'], { event_type: 'Event', event_category: 'Category', day: 'Day' });
  const from = field('From', { type: 'date', id: 'analytics-from', name: 'from' });
  const to = field('To', { type: 'date', id: 'analytics-to', name: 'to' }, 'Empty: the last 30 days');
  const output = h('div.table-wrap', { id: 'analytics', 'aria-live': 'polite' });

  async function load() {
    const query = new URLSearchParams({ group_by: group.input.value });
    if (from.input.value) query.set('from', from.input.value);
    if (to.input.value) query.set('to', to.input.value);
    const answer = await get(`/admin/analytics?${query}`);
    const total = answer.items.reduce((sum, i) => sum + Number(i.count), 0);
    const label = group.input.selectedOptions[0]?.text || 'Key';
    output.replaceChildren(h('table', {},
      h('caption', { text: `${total} events from ${formatDateTime(answer.from)} to ${formatDateTime(answer.to)}` }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: label }), h('th.number', { scope: 'col', text: 'Events' }))),
      h('tbody', {}, answer.items.length
        ? answer.items.map((i) => h('tr', {}, h('td', { text: group.input.value === 'day' ? String(i.key).slice(0, 10) : i.key }),
          h('td.number', { text: String(i.count) })))
        : h('tr', {}, h('td', { colspan: '2', text: 'No events in this time.' })))));
  }
  const form = h('form.inline-form', {
    id: 'analytics-form',
    onsubmit: (event) => {
      event.preventDefault();
      message.clear();
      load().catch((e) => message.show(e.message));
    },
  }, group.row, from.row, to.row, h('button', { type: 'submit', text: 'Count' }));
  return {
    el: section('analytics-section', 'Analytics', form, message.el, output),
    load: () => load().catch((e) => message.show(e.message)),
  };
}

