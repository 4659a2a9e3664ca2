// One user's usage and plan: look a musician up, see their usage, change their plan and its end.
import { h, mount, field, messageBox } from '../shared/dom.js';
import { get, put } from '../api.js';
import { TIER_NAMES, tierName, usageSummary } from '../account/usage.js';
import { TIERS, options, resolveUser, section } from './admin-section.js';

export function userSection() {
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

