// What the sections of the administrators' page share: their card, select options, plans, and finding a user.
import { h } from '../shared/dom.js';
import { get } from '../api.js';

export const TIERS = ['free', 'pro', 'enterprise'];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A section of the page: a card with a focusable <h2> (the page's table of contents moves the focus there). */
export function section(id, title, ...children) {
  const heading = h(`h2#h-${id}`, { text: title, tabindex: '-1' });
  return h(`section.card.admin-section#${id}`, { 'aria-labelledby': `h-${id}` }, heading, ...children);
}

export function options(select, values, names = {}) {
  for (const value of values) select.append(h('option', { value, text: names[value] || value }));
  return select;
}

/** A username ("@ana" or "ana") or a user id → {id, label}; usernames through GET /profiles (admins see all). */
export async function resolveUser(text) {
  const raw = text.trim().replace(/^@/, '');
  if (UUID.test(raw)) return { id: raw.toLowerCase(), label: raw };
  const profile = await get(`/profiles/${encodeURIComponent(raw)}`);
  return { id: profile.id, label: `@${profile.username}` };
}
