// #/admin: the administrators' page — plan limits, featured projects, server errors, administrators, one user's
// usage and plan, analytics and the audit log, all through /api/v1/admin. Others get a "not allowed" in words,
// decided by GET /me's is_admin (the admin endpoints check again on every request).
import { h, mount, field, messageBox, formatDateTime } from '../dom.js';
import { currentUser, del, get, patch, put, refreshMe } from '../api.js';
import { TIER_NAMES, resourceName, tierName, usageSummary } from './usage.js';

const TIERS = ['free', 'pro', 'enterprise'];
const RESOURCES = ['projects', 'storage_mb', 'exports', 'ai_transformations'];
const PERIODS = ['daily', 'weekly', 'monthly', 'yearly', 'lifetime'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function section(id, title, ...children) {
  const heading = h(`h2#h-${id}`, { text: title, tabindex: '-1' });
  return h(`section.card.admin-section#${id}`, { 'aria-labelledby': `h-${id}` }, heading, ...children);
}

function options(select, values, names = {}) {
  for (const value of values) select.append(h('option', { value, text: names[value] || value }));
  return select;
}

function amount(value) {
  const n = Number(value);
  return Number.isInteger(n) ? String(n) : n.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

function isUnlimited(limit) {
  return limit.limit_value === null || limit.limit_value === undefined || Number(limit.limit_value) < 0;
}

/** "5" (a count), "100 MB", "unlimited". */
function limitText(limit) {
  if (isUnlimited(limit)) return 'unlimited';
  const unit = { count: '', mb: ' MB' }[limit.limit_unit] ?? ` ${limit.limit_unit}`;
  return `${amount(limit.limit_value)}${unit}`;
}

/** A username ("@ana" or "ana") or a user id → {id, label}; usernames through GET /profiles (admins see all). */
async function resolveUser(text) {
  const raw = text.trim().replace(/^@/, '');
  if (UUID.test(raw)) return { id: raw.toLowerCase(), label: raw };
  const profile = await get(`/profiles/${encodeURIComponent(raw)}`);
  return { id: profile.id, label: `@${profile.username}` };
}

/** A cell whose column name a phone layout shows before it (see .stack-table in app.css). */
const cell = (label, ...children) => h('td', { 'data-label': label }, ...children);

// ---- plan limits
function limitsSection() {
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
    value.input.value = row && !isUnlimited(row) ? amount(row.limit_value) : '';
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

// ---- featured projects
function featuringSection() {
  const message = messageBox();
  const featuredList = h('ul.admin-list', { id: 'featured-now', 'aria-live': 'polite' });
  const results = h('ul.admin-list', { id: 'featuring-candidates' });

  async function setFeatured(id, featured, title) {
    message.clear();
    const answer = await put(`/admin/projects/${id}/featured`, { is_featured: featured });
    message.show(answer.is_featured ? `“${title || id}” is featured: it shows first on Explore. ` : `“${title || id}” is no longer featured.`,
      'ok', answer.is_featured ? h('a', { href: '#/explore', text: 'See Explore' }) : null);
    await Promise.all([loadFeatured(), search()]);
  }

  function projectRow(p) {
    const button = h('button', {
      type: 'button',
      text: p.is_featured ? 'Stop featuring' : 'Feature',
      'aria-label': `${p.is_featured ? 'Stop featuring' : 'Feature'} “${p.title}”`,
      'data-featured': String(Boolean(p.is_featured)),
      onclick: async () => {
        button.disabled = true;
        try {
          await setFeatured(p.id, !p.is_featured, p.title);
        } catch (e) {
          message.show(e.message);
          button.disabled = false;
        }
      },
    });
    return h('li', { 'data-project-id': p.id },
      h('span.grow', {}, h('strong', { text: p.title }),
        h('span.meta', { text: ` by @${p.owner_username || '?'}${p.is_featured ? ' · featured' : ''}` })),
      button);
  }

  async function loadFeatured() {
    const page = await get('/explore/featured?limit=50');
    featuredList.replaceChildren(...page.items.map(projectRow));
    if (!page.items.length) featuredList.append(h('li.empty', { text: 'No project is featured.' }));
  }

  const q = field('Search public projects', { type: 'search', id: 'featuring-q', name: 'q', maxlength: 200 });
  async function search() {
    const query = new URLSearchParams({ limit: '10', sort: 'recent' });
    if (q.input.value.trim()) query.set('q', q.input.value.trim());
    const page = await get(`/explore?${query}`);
    results.replaceChildren(...page.items.map(projectRow));
    if (!page.items.length) results.append(h('li.empty', { text: 'No public project matches.' }));
  }
  const searchForm = h('form.inline-form', {
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      search().catch((e) => message.show(e.message));
    },
  }, q.row, h('button', { type: 'submit', text: 'Search' }));

  const byId = field('Project id', { id: 'feature-id', name: 'project_id', maxlength: 36, autocomplete: 'off', spellcheck: 'false' },
    'The id in a project\'s address: #/projects/<id>');
  const byIdForm = h('form.inline-form', {
    id: 'feature-by-id',
    onsubmit: async (event) => {
      event.preventDefault();
      const id = byId.input.value.trim().replace(/^.*#\/projects\//, '');
      const featured = event.submitter?.value !== 'off';
      if (!UUID.test(id)) {
        message.show('A project id looks like 1b4e28ba-2fa1-11d2-883f-0016d3cca427.');
        byId.input.focus();
        return;
      }
      try {
        await setFeatured(id, featured);
      } catch (e) {
        message.show(e.message);
      }
    },
  }, byId.row, h('button.primary', { type: 'submit', value: 'on', text: 'Feature' }),
  h('button', { type: 'submit', value: 'off', text: 'Stop featuring' }));

  return {
    el: section('featuring', 'Featured projects', message.el,
      h('h3', { text: 'Featured now' }), featuredList,
      h('h3', { text: 'Feature by id' }), byIdForm,
      h('h3', { text: 'From Explore' }), searchForm, results),
    load: () => Promise.all([loadFeatured(), search()]).catch((e) => message.show(e.message)),
  };
}

// ---- server errors
function errorsSection() {
  const message = messageBox();
  const list = h('ul.admin-list.errors-list', { id: 'error-logs', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load more errors' });
  const show = field('Show', { tag: 'select', id: 'errors-resolved', name: 'resolved' });
  options(show.input, ['false', 'true', ''], { false: 'Unresolved', true: 'Resolved', '': 'All' });
  const type = field('Kind', { tag: 'select', id: 'errors-type', name: 'type' });
  options(type.input, ['', 'server_error', 'api_error', 'client_error'],
    { '': 'Any', server_error: 'Server errors', api_error: 'API errors', client_error: 'Client errors' });
  let cursor = null;

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

  async function load(reset) {
    const query = new URLSearchParams({ limit: '20' });
    if (show.input.value) query.set('resolved', show.input.value);
    if (type.input.value) query.set('type', type.input.value);
    if (!reset && cursor) query.set('cursor', cursor);
    const page = await get(`/admin/errors?${query}`);
    if (reset) list.replaceChildren();
    for (const e of page.items) list.append(item(e));
    if (reset && !page.items.length) list.append(h('li.empty', { text: 'No errors here.' }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  const reload = () => load(true).catch((e) => message.show(e.message));
  show.input.addEventListener('change', reload);
  type.input.addEventListener('change', reload);
  more.addEventListener('click', () => load(false).catch((e) => message.show(e.message)));
  return {
    el: section('errors', 'Recent errors', h('div.inline-form', {}, show.row, type.row), message.el, list, more),
    load: reload,
  };
}

// ---- administrators
function adminsSection() {
  const message = messageBox();
  const list = h('ul.admin-list', { id: 'admins', 'aria-live': 'polite' });
  const me = currentUser();

  async function load() {
    const { items } = await get('/admin/admins');
    list.replaceChildren(...items.map((a) => {
      const self = me && a.user_id === me.user_id;
      const revoke = self ? h('span.meta', { text: 'you' }) : h('button.danger', {
        type: 'button',
        text: 'Revoke',
        'aria-label': `Revoke administrator rights of @${a.username}`,
        onclick: async () => {
          revoke.disabled = true;
          message.clear();
          try {
            await del(`/admin/admins/${a.user_id}`);
            await load();
            message.show(`@${a.username} is no longer an administrator.`, 'ok');
            grantWho.input.focus();
          } catch (e) {
            message.show(e.message);
            revoke.disabled = false;
          }
        },
      });
      return h('li', { 'data-user-id': a.user_id, 'data-username': a.username || '' },
        h('span.grow', {}, h('a', { href: `#/profiles/${encodeURIComponent(a.username || '')}`, text: `@${a.username}` }),
          h('span.meta', { text: ` · since ${formatDateTime(a.granted_at)}` })),
        revoke);
    }));
  }

  const grantWho = field('Username or user id', { id: 'grant-who', name: 'user', required: true, autocomplete: 'off' });
  const grant = h('button.primary', { type: 'submit', text: 'Make administrator' });
  const form = h('form.inline-form', {
    id: 'grant-form',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      grant.disabled = true;
      try {
        const who = await resolveUser(grantWho.input.value);
        const granted = await put(`/admin/admins/${who.id}`);
        await load();
        message.show(`@${granted.username || who.label} is now an administrator.`, 'ok');
        grantWho.input.value = '';
      } catch (e) {
        message.show(e.status === 404 ? `There is no user “${grantWho.input.value.trim()}”.` : e.message);
        grantWho.input.focus();
      } finally {
        grant.disabled = false;
      }
    },
  }, grantWho.row, grant);
  return {
    el: section('administrators', 'Administrators', list, form, message.el),
    load: () => load().catch((e) => message.show(e.message)),
  };
}

// ---- one user's usage and plan
function userSection() {
  const message = messageBox();
  const result = h('div', { id: 'user-usage', 'aria-live': 'polite' });
  const who = field('Username or user id', { id: 'user-who', name: 'user', required: true, autocomplete: 'off' });
  const look = h('button.primary', { type: 'submit', text: 'Show usage' });

  async function show(user) {
    const summary = await get(`/admin/users/${user.id}/usage`);
    const tier = field('Plan', { tag: 'select', id: 'sub-tier', name: 'subscription_tier' });
    options(tier.input, TIERS, TIER_NAMES);
    tier.input.value = summary.subscription_tier || 'free';
    const until = field('Paid until (optional)', { type: 'date', id: 'sub-until', name: 'subscription_expires_at' },
      'The plan ends at the start of this day (UTC); empty for no end');
    if (summary.subscription_expires_at) until.input.value = summary.subscription_expires_at.slice(0, 10);
    const save = h('button.primary', { type: 'submit', text: 'Change plan' });
    const planForm = h('form', {
      id: 'subscription-form',
      onsubmit: async (event) => {
        event.preventDefault();
        message.clear();
        save.disabled = true;
        try {
          await put(`/admin/users/${user.id}/subscription`, {
            subscription_tier: tier.input.value,
            subscription_expires_at: until.input.value ? `${until.input.value}T00:00:00Z` : null,
          });
          await show(user);
          message.show(`${user.label} is now on the ${tierName(tier.input.value)} plan.`, 'ok');
        } catch (e) {
          message.show(e.message);
          save.disabled = false;
        }
      },
    }, h('h3', { text: `Plan of ${user.label}` }), h('div.form-grid', {}, tier.row, until.row), save);
    mount(result, h('h3', { text: `Usage of ${user.label}` }),
      usageSummary(summary, { idPrefix: 'admin-usage', whose: `${user.label}’s` }), planForm);
  }

  const form = h('form.inline-form', {
    id: 'user-form',
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      look.disabled = true;
      try {
        await show(await resolveUser(who.input.value));
      } catch (e) {
        result.replaceChildren();
        message.show(e.status === 404 ? `There is no user “${who.input.value.trim()}”.` : e.message);
        who.input.focus();
      } finally {
        look.disabled = false;
      }
    },
  }, who.row, look);
  return { el: section('user', 'A user\'s usage and plan', form, message.el, result), load: () => {} };
}

// ---- analytics
function analyticsSection() {
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

// ---- audit log
function auditSection() {
  const message = messageBox();
  const list = h('ol.admin-list.audit', { id: 'audit-log' });
  const more = h('button', { type: 'button', hidden: true, text: 'Load older entries' });
  const target = field('Table changed', { id: 'audit-target', name: 'target_type', maxlength: 64 },
    'e.g. subscription_limits, projects, profiles, user_roles; empty for all');
  let cursor = null;
  let names = null; // administrators' usernames by id, to name who did what

  function actor(entry) {
    if (!entry.actor_id) return entry.actor_role === 'service_role' || !entry.actor_role ? 'the system' : entry.actor_role;
    const name = names?.get(entry.actor_id);
    return name ? `@${name}` : `user ${entry.actor_id}`;
  }

  function change(entry) {
    const parts = [];
    if (entry.before) parts.push(h('h4', { text: 'Before' }), h('pre', { text: JSON.stringify(entry.before, null, 2) }));
    if (entry.after) parts.push(h('h4', { text: 'After' }), h('pre', { text: JSON.stringify(entry.after, null, 2) }));
    return parts.length ? h('details', {}, h('summary', { text: 'What changed' }), parts) : null;
  }

  async function load(reset) {
    const query = new URLSearchParams({ limit: '20' });
    if (target.input.value.trim()) query.set('target_type', target.input.value.trim());
    if (!reset && cursor) query.set('cursor', cursor);
    if (!names) {
      names = new Map((await get('/admin/admins')).items.map((a) => [a.user_id, a.username]));
    }
    const page = await get(`/admin/audit?${query}`);
    if (reset) list.replaceChildren();
    for (const e of page.items) {
      list.append(h('li', { 'data-action': e.action, 'data-target-type': e.target_type },
        h('div.grow', {},
          h('p', {}, h('strong', { text: e.action }), ` · ${e.target_type || ''} ${e.target_id || ''}`),
          h('p.meta', { text: `${formatDateTime(e.created_at)} · by ${actor(e)}` }),
          change(e))));
    }
    if (reset && !page.items.length) list.append(h('li.empty', { text: 'Nothing recorded.' }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(false).catch((e) => message.show(e.message)));
  const form = h('form.inline-form', {
    onsubmit: (event) => {
      event.preventDefault();
      message.clear();
      load(true).catch((e) => message.show(e.message));
    },
  }, target.row, h('button', { type: 'submit', text: 'Show' }));
  return {
    el: section('audit', 'Audit log', form, message.el, list, more),
    load: () => load(true).catch((e) => message.show(e.message)),
  };
}

export async function adminPage({ main }) {
  const me = await refreshMe();
  if (!me.is_admin) {
    mount(main,
      h('h1', { text: 'Administration' }),
      h('p.not-allowed', { id: 'not-allowed', text: 'You are not allowed to see this page: it is only for administrators.' }),
      h('p', {}, h('a', { href: '#/projects', text: 'Back to my projects' })));
    return;
  }
  const sections = [limitsSection(), featuringSection(), errorsSection(), adminsSection(), userSection(),
    analyticsSection(), auditSection()];
  const toc = h('nav.toc', { 'aria-label': 'Sections of this page' },
    h('ul', {}, sections.map((s) => {
      const heading = s.el.querySelector('h2');
      return h('li', {}, h('button.link', {
        type: 'button',
        text: heading.textContent,
        onclick: () => {
          heading.scrollIntoView({ block: 'start' });
          heading.focus();
        },
      }));
    })));
  mount(main, h('h1', { text: 'Administration' }), toc, sections.map((s) => s.el));
  await Promise.all(sections.map((s) => s.load()));
}
