// The frame every studio section shares: a card whose <h2> names it (and labels the region for screen readers).
import { h } from '../shared/dom.js';

/** <section class="card" aria-labelledby="h-{name}"><h2 id="h-{name}">{title}</h2>…children</section> */
export function studioCard(name, title, ...children) {
  return h('section.card', { 'aria-labelledby': `h-${name}` }, h(`h2#h-${name}`, { text: title }), ...children);
}
