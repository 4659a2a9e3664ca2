// #/usage: the signed-in musician's use of each resource against their plan's limits (GET /api/v1/usage), and what
// the plans are and how to upgrade (where a plan's limit and a Pro preset send the musician).
// usageSummary() also draws another user's usage on the admin page.
import { h, mount } from '../shared/dom.js';
import { amount, formatDateTime } from '../shared/words.js';
import { get } from '../api.js';

const RESOURCES = {
  projects: { name: 'Projects', noun: 'projects' },
  storage_mb: { name: 'Audio storage', noun: 'MB' },
  exports: { name: 'Exports', noun: 'exports' },
  ai_transformations: { name: 'AI transformations', noun: 'transformations' },
};

const PERIODS = {
  daily: 'Resets every day',
  weekly: 'Resets every week',
  monthly: 'Resets every month',
  yearly: 'Resets every year',
  lifetime: 'A running total: it never resets',
};

export const TIER_NAMES = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' };

export function tierName(tier) {
  return TIER_NAMES[tier] || tier || 'Free';
}

export function resourceName(type) {
  return RESOURCES[type]?.name || type.replaceAll('_', ' ');
}

/** The unit a person reads: "MB" for mb, the resource's own noun for a count ("3 projects"). */
function unitOf(item) {
  if (item.unit === 'mb') return 'MB';
  if (item.unit && item.unit !== 'count') return item.unit;
  return RESOURCES[item.resource_type]?.noun || '';
}

/** One resource: its name, a <meter> of used against the limit (none when unlimited), the words, the reset. */
function resourceItem(item, idPrefix) {
  const id = `${idPrefix}-${item.resource_type}`;
  const unit = unitOf(item);
  const used = Number(item.used) || 0;
  const unlimited = item.limit === null || item.limit === undefined;
  const limit = unlimited ? null : Number(item.limit);
  const usedWords = unlimited
    ? `${amount(used)} ${unit} used · unlimited on this plan`
    : `${amount(used)} of ${amount(limit)} ${unit} used`;
  let meter = null;
  if (!unlimited) {
    meter = h('meter', {
      id: `${id}-meter`,
      min: '0',
      max: String(Math.max(limit, 0.000001)),
      value: String(Math.min(used, Math.max(limit, 0))),
      low: String(limit * 0.7),
      high: String(limit * 0.9),
      optimum: '0',
      'aria-labelledby': `${id}-name`,
      'aria-describedby': `${id}-words`,
    });
  }
  let reset = PERIODS[item.reset_period] || `Resets ${item.reset_period}`;
  if (item.resets_at) reset += ` — next on ${formatDateTime(item.resets_at)}`;
  if (item.resource_type === 'storage_mb') {
    // What musicians asked: which files count, and when they stop counting.
    reset = 'Counts each file you stored once — takes, renders, exports, AI results — while a project, a version '
      + 'or an export still uses it; it is freed as soon as nothing does.';
  }
  return h('li.usage-item', {
    'data-resource': item.resource_type,
    'data-used': String(used),
    'data-limit': unlimited ? 'unlimited' : String(limit),
  },
  h('h3', { id: `${id}-name`, text: resourceName(item.resource_type) }),
  meter,
  h('p.usage-words', { id: `${id}-words` }, usedWords, !unlimited && used >= limit ? h('strong', { text: ' — limit reached' }) : null),
  h('p.meta', { text: reset }));
}

/** A whole GET /usage answer: the plan in words and a list of resources. */
export function usageSummary(summary, { idPrefix = 'usage', whose = 'Your' } = {}) {
  const plan = h('p.plan', { id: `${idPrefix}-plan` },
    `${whose} plan: `, h('strong', { text: tierName(summary.tier) }));
  if (summary.subscription_tier && summary.subscription_tier !== summary.tier) {
    plan.append(` (the ${tierName(summary.subscription_tier)} subscription ended`,
      summary.subscription_expires_at ? ` on ${formatDateTime(summary.subscription_expires_at)}` : '',
      `, so ${tierName(summary.tier)} limits apply until it is renewed)`);
  } else if (summary.subscription_expires_at) {
    plan.append(`, until ${formatDateTime(summary.subscription_expires_at)}`);
  }
  const list = h('ul.usage', { id: `${idPrefix}-resources` });
  for (const item of summary.resources || []) list.append(resourceItem(item, idPrefix));
  if (!list.children.length) list.append(h('li.empty', { text: 'Nothing is counted yet.' }));
  return h('div.usage-summary', {}, plan, list);
}

/**
 * What the plans are and how to move to another: the way out that a plan's limit (js/api.js) and a Pro preset
 * point to. This studio sells nothing itself: its administrators set each musician's plan.
 */
function plansCard(summary, me) {
  const tier = summary.tier || 'free';
  return h('section.card.plans', { id: 'plans', 'aria-labelledby': 'h-plans' },
    h('h2#h-plans', { text: 'Plans and how to upgrade' }),
    h('ul.plan-list', {},
      h('li', { 'data-tier': 'free' }, h('strong', { text: 'Free' }),
        ' — to try the studio: a few projects, a little audio storage, some exports and AI transformations a month, '
        + 'and every AI preset but the Pro ones.'),
      h('li', { 'data-tier': 'pro' }, h('strong', { text: 'Pro' }),
        ' — higher limits on everything above, and the Pro AI presets (marked “Pro” in the studio).'),
      h('li', { 'data-tier': 'enterprise' }, h('strong', { text: 'Enterprise' }),
        ' — the highest limits, for studios and teams.')),
    h('p', { text: `You are on the ${tierName(tier)} plan; its limits are the ones above.` }),
    h('h3', { text: 'How to upgrade' }),
    h('p', { id: 'how-to-upgrade', text: 'There is no payment page here: the administrators of this studio set each '
      + 'musician’s plan. Ask one of them to move your account to Pro; the new limits and the Pro presets apply at '
      + 'once, and everything you have made stays as it is.' }),
    me?.is_admin ? h('p', {}, 'You are an administrator: set any musician’s plan (yours too) under ',
      h('a', { href: '#/admin', text: 'Admin' }), ', “A user’s usage and plan”.') : null,
    h('h3', { text: 'Making room without upgrading' }),
    h('p', {}, 'Projects and storage come back when you delete: a project you no longer need gives its place and its '
      + 'audio back (',
    h('a', { href: '#/projects', text: 'your projects' }),
    '); exports and AI transformations renew at the start of each period shown above.'));
}

export async function usagePage({ main }) {
  const [summary, me] = await Promise.all([get('/usage'), get('/me').catch(() => null)]);
  mount(main,
    h('h1', { text: 'Usage' }),
    h('p.meta', { text: 'What you have used of your plan. Counts that reset start again at the time shown (UTC periods).' }),
    h('section.card', { 'aria-label': 'Usage of your plan' }, usageSummary(summary)),
    plansCard(summary, me),
    h('p', {}, h('a', { href: '#/projects', text: 'Go to my projects' })));
}
