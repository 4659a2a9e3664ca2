// Plan limits: every plan's limit per resource in a table (stacked on a phone), and a form to change one.
import { h, field, messageBox } from '../shared/dom.js';
import { amount } from '../shared/words.js';
import { get, put } from '../api.js';
import { TIER_NAMES, resourceName, tierName } from '../account/usage.js';
import { TIERS, options, section } from './admin-section.js';

const RESOURCES = ['projects', 'storage_mb', 'exports', 'ai_transformations'];
const PERIODS = ['daily', 'weekly', 'monthly', 'yearly', 'lifetime'];

function isUnlimited(limit) {
  return limit.limit_value === null || limit.limit_value === undefined || Number(limit.limit_value) < 0;
}

/** "5" (a count), "100 MB", "unlimited". */
function limitText(limit) {
  if (isUnlimited(limit)) return 'unlimited';
  const unit = { count: '', mb: ' MB' }[limit.limit_unit] ?? ` ${limit.limit_unit}`;
  return `${amount(limit.limit_value, 3)}${unit}`;
}

/** A cell whose column name a phone layout shows before it (see .stack-table in app.css). */
const cell = (label, ...children) => h('td', { 'data-label': label }, ...children);

export function limitsSection() {
  const message = messageBox();
  const body = h('tbody');
  const table = h('table.stack-table', { id: 'limits-table' },
    h('caption', { text: 'Limits of each plan' }),
    h('thead', {}, h('tr', {}, ['Plan', 'Resource', 'Limit', 'Period', 'Active', ''].map((t) => h('th', { scope: 'col', text: t })))),
    body);
  let limits = [];

  const tier = field('Plan', { tag: 'select', id: 'limit-tier', name: 'tier' });
  options(tier.input, TIERS, TIER_NAMES);
  const resource = field('Resource', { tag: 'select', id: 'limit-resource', name: 'resource_type' });
  options(resource.input, RESOURCES, Object.fromEntries(RESOURCES.map((r) => [r, resourceName(r)])));
  const value = field('Limit', { type: 'number', id: 'limit-value', name: 'limit_value', min: '0', step: 'any', inputmode: 'decimal' },
    'Empty for unlimited');
  const unit = field('Unit', { id: 'limit-unit', name: 'limit_unit', maxlength: 20, required: true, pattern: '[a-z][a-z0-9_]*' },
    'count, mb, …');
  const period = field('Resets', { tag: 'select', id: 'limit-period', name: 'reset_period' });
  options(period.input, PERIODS);
  const active = h('input', { type: 'checkbox', id: 'limit-active', name: 'is_active', checked: true });
  const save = h('button.primary', { type: 'submit', text: 'Save limit' });

  const fill = () => {
    const row = limits.find((l) => l.subscription_tier === tier.input.value && l.resource_type === resource.input.value);
    value.input.value = row && !isUnlimited(row) ? amount(row.limit_value, 3) : '';
    unit.input.value = row?.limit_unit || (resource.input.value === 'storage_mb' ? 'mb' : 'count');
    period.input.value = row?.reset_period || (['storage_mb', 'projects'].includes(resource.input.value) ? 'lifetime' : 'monthly');
    active.checked = row ? row.is_active !== false : true;
  };
  tier.input.addEventListener('change', fill);
  resource.input.addEventListener('change', fill);

  const form = h('form.limit-form', {
    id: 'limit-form',
    'aria-label': 'Change a limit',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      save.disabled = true;
      const limitValue = value.input.value.trim() === '' ? null : Number(value.input.value);
      try {
        const saved = await put(`/admin/limits/${tier.input.value}/${encodeURIComponent(resource.input.value)}`, {
          limit_value: limitValue, limit_unit: unit.input.value.trim(), reset_period: period.input.value, is_active: active.checked,
        });
        await load();
        message.show(`Saved: the ${tierName(saved.subscription_tier)} plan's ${resourceName(saved.resource_type)} limit is now `
          + `${limitText(saved)} (${saved.reset_period}`
          + `${saved.is_active === false ? ', inactive' : ''}).`, 'ok');
      } catch (e) {
        message.show(e.message);
      } finally {
        save.disabled = false;
      }
    },
  },
  h('h3', { text: 'Change a limit' }),
  h('div.form-grid', {}, tier.row, resource.row, value.row, unit.row, period.row,
    h('div.field.inline', {}, active, h('label', { for: 'limit-active', text: 'Active' }))),
  message.el, save);

  async function load() {
    limits = (await get('/admin/limits')).items;
    const rank = (list, value) => (list.indexOf(value) < 0 ? 50 : list.indexOf(value));
    const order = (l) => rank(TIERS, l.subscription_tier) * 100 + rank(RESOURCES, l.resource_type);
    limits.sort((a, b) => order(a) - order(b) || a.resource_type.localeCompare(b.resource_type));
    for (const l of limits) {
      if (![...resource.input.options].some((o) => o.value === l.resource_type)) {
        resource.input.append(h('option', { value: l.resource_type, text: resourceName(l.resource_type) }));
      }
    }
    body.replaceChildren(...limits.map((l) => h('tr', { 'data-tier': l.subscription_tier, 'data-resource': l.resource_type },
      cell('Plan', tierName(l.subscription_tier)),
      cell('Resource', resourceName(l.resource_type)),
      cell('Limit', limitText(l)),
      cell('Period', l.reset_period || 'monthly'),
      cell('Active', l.is_active === false ? 'no' : 'yes'),
      cell('', h('button', {
        type: 'button',
        text: 'Edit',
        'aria-label': `Edit the ${tierName(l.subscription_tier)} limit of ${resourceName(l.resource_type)}`,
        onclick: () => {
          tier.input.value = l.subscription_tier;
          resource.input.value = l.resource_type;
          fill();
          value.input.focus();
        },
      })))));
    fill();
  }

  return {
    el: section('limits', 'Plan limits', h('div.table-wrap', {}, table), form),
    load: () => load().catch((e) => message.show(e.message)),
  };
}
