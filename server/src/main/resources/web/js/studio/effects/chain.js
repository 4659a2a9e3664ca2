// An effects chain as the studio holds it: the catalog of effects, steps with their settings completed from the
// catalog, the chain as the API stores it, and the chain in words. Shared by the chain editor and the presets page.
import { get } from '../../api.js';
import { words } from '../../shared/words.js';

let catalogCache = null;

/** GET /effects/catalog, once per page load. */
export async function effectsCatalog() {
  if (!catalogCache) catalogCache = (await get('/effects/catalog')).effects;
  return catalogCache;
}

/** A parameter's name without the unit its label shows anyway: "threshold_db" → "Threshold" (+ " (dB)"). */
export const paramWords = (p) => words(p.unit ? p.name.replace(/_(db|ms|hz|seconds)$/, '') : p.name);

export const kindOf = (p) => String(p.kind || 'NUMBER').toUpperCase();
export const defaultOf = (p) => (p.default_value ?? p.defaultValue ?? p.min);
const choiceDefault = (p) => p.choices[defaultOf(p)] ?? p.choices[0];

/** Effects whose settings the page can edit whole (nested chains are API-only, so they are not offered to add). */
export const editable = (descriptor) => !(descriptor.parameters || []).some((p) => kindOf(p) === 'CHAINS');

/**
 * One chain step as the editor keeps it: settings under canonical names (a preset's legacy alias such as delay
 * "time" becomes "delay_seconds"), every NUMBER and CHOICE present (defaults filled in), bypass a boolean.
 * Settings the page cannot show (envelopes, EQ bands, nested chains) are kept as they are.
 */
export function normalizeStep(step, byType) {
  const descriptor = byType.get(step?.type);
  const given = { ...(step?.settings || {}) };
  const settings = {};
  for (const p of descriptor?.parameters || []) {
    for (const alias of p.aliases || []) {
      if (alias in given && !(p.name in given)) given[p.name] = given[alias];
      delete given[alias];
    }
    const kind = kindOf(p);
    if (p.name in given) settings[p.name] = given[p.name];
    else if (kind === 'NUMBER') settings[p.name] = defaultOf(p);
    else if (kind === 'CHOICE') settings[p.name] = choiceDefault(p);
    delete given[p.name];
  }
  Object.assign(settings, given); // anything unknown stays, so the server can name it
  return { type: String(step?.type), settings, bypass: step?.bypass === true };
}

export const normalizeChain = (chain, byType) => (Array.isArray(chain) ? chain : []).map((s) => normalizeStep(s, byType));

/** The chain as the API stores it: "bypass" only where it is on. */
export const toApi = (chain) => chain.map((s) => (s.bypass ? { type: s.type, settings: s.settings, bypass: true }
  : { type: s.type, settings: s.settings }));

/** The steps of a chain however it comes: a list, or {chain: list} (a project's effects_settings). */
export function chainOf(value) {
  if (Array.isArray(value)) return value;
  if (value && Array.isArray(value.chain)) return value.chain;
  return [];
}

/** A chain in words: "Reverb → Delay (bypassed)", or "no effects". */
export function chainInWords(value) {
  const steps = chainOf(value);
  return steps.length ? steps.map((s) => words(s.type || '?') + (s.bypass === true ? ' (bypassed)' : '')).join(' → ')
    : 'no effects';
}
