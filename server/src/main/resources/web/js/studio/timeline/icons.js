// The transport's symbols as small inline SVG drawings (made with the DOM, never markup), so they look the same on
// every device whatever fonts it has. Decorative: the buttons carry the words (aria-label, title).

const NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  start: 'M5 5h2.5v14H5zM19 5v14L9 12z',
  play: 'M7 4.5v15L19.5 12z',
  pause: 'M6.5 5h4v14h-4zM13.5 5h4v14h-4z',
  stop: 'M6 6h12v12H6z',
  record: 'M12 5a7 7 0 1 0 0 14a7 7 0 1 0 0-14z',
  loop: 'M7 7h9.5l-2-2 1.4-1.4L20.3 8l-4.4 4.4-1.4-1.4 2-2H7a2 2 0 0 0-2 2v2H3v-2a4 4 0 0 1 4-4zm10 10H7.5l2 2-1.4 1.4L3.7 16l4.4-4.4 1.4 1.4-2 2H17a2 2 0 0 0 2-2v-2h2v2a4 4 0 0 1-4 4z',
  undo: 'M8.5 8H15a5 5 0 0 1 0 10h-5v-2h5a3 3 0 0 0 0-6H8.5l2.8 2.8-1.4 1.4L4.7 9l5.2-5.2 1.4 1.4z',
  redo: 'M15.5 8H9a5 5 0 0 0 0 10h5v-2H9a3 3 0 0 1 0-6h6.5l-2.8 2.8 1.4 1.4L19.3 9l-5.2-5.2-1.4 1.4z',
  split: 'M11 2h2v20h-2zM3 7h6v10H3zM15 7h6v10h-6z',
  trash: 'M9 3h6l1 2h4v2H4V5h4zM6 8h12l-1 13H7zm3 2v9h2v-9zm4 0v9h2v-9z',
  minus: 'M5 11h14v2H5z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
};

/** An icon: <svg viewBox="0 0 24 24" aria-hidden="true"><path d=…></svg>. */
export function icon(name) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
