// The studio's panels: every section but the desk opens in one dock at the right of the desk (a sheet over it on a
// phone, under the transport), one at a time, from a toolbar of toggle buttons. The desk stays on screen. The open
// panel is remembered for this tab (sessionStorage), so a reload opens it again. The close button or Escape closes
// it and gives the focus back to what opened it. Each section keeps its own module and card; only its place is here.
import { h } from '../shared/dom.js';
import { onAuthChange } from '../api.js';

const PREFIX = 'studio.panel.';

function remembered(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key, name) {
  try {
    if (name) sessionStorage.setItem(key, name);
    else sessionStorage.removeItem(key);
  } catch {
    // storage refused (private mode): the panel is not reopened after a reload, nothing else changes
  }
}

// what the tab remembers of its studios goes when the musician signs out, with the session itself
onAuthChange((user) => {
  if (user) return;
  try {
    Object.keys(sessionStorage).filter((key) => key.startsWith(PREFIX)).forEach((key) => sessionStorage.removeItem(key));
  } catch {
    // no storage: nothing was remembered
  }
});

/**
 * A dock of panels remembered for project `projectId`. Returns {bar, dock, add(name, label, section, options), open(name,
 * options), close(options), current(), restore()}: `bar` is the toolbar, `dock` the panel area beside the desk.
 */
export function panelDock({ projectId }) {
  const storageKey = `${PREFIX}${projectId}`;
  const bar = h('div.panel-bar', { role: 'toolbar', 'aria-label': 'Studio panels' });
  const dock = h('aside.studio-dock#studio-dock', { hidden: true, 'aria-label': 'Studio panel' });
  const panels = new Map();
  let open = null;
  let returnTo = null;

  const toggles = () => [...bar.querySelectorAll('button.panel-toggle')];

  function show(name, on) {
    const panel = panels.get(name);
    panel.frame.hidden = !on;
    panel.toggle?.setAttribute('aria-expanded', String(on));
  }

  /** Opens panel `name` (closing the one open); opener gets the focus back when it closes. */
  function openPanel(name, { opener = null, focus = true } = {}) {
    const panel = panels.get(name);
    if (!panel) return;
    if (open && open !== name) show(open, false);
    show(name, true);
    dock.hidden = false;
    dock.dataset.panel = name;
    open = name;
    returnTo = opener || panel.toggle;
    remember(storageKey, panel.remembered ? name : null);
    if (focus) {
      const heading = panel.frame.querySelector('h2, h3');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
  }

  function closePanel({ focus = true } = {}) {
    if (!open) return;
    show(open, false);
    dock.hidden = true;
    delete dock.dataset.panel;
    open = null;
    remember(storageKey, null);
    const back = returnTo;
    returnTo = null;
    if (focus && back?.isConnected) back.focus();
  }

  dock.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open && !event.defaultPrevented) {
      event.preventDefault();
      closePanel();
    }
  });
  // the toolbar as one stop for Tab: arrows, Home and End move along it; Escape closes the open panel
  bar.addEventListener('keydown', (event) => {
    const all = toggles();
    const at = all.indexOf(document.activeElement);
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      closePanel();
      return;
    }
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = all[(next + all.length) % all.length];
    all.forEach((b) => { b.tabIndex = b === target ? 0 : -1; });
    target.focus();
  });

  return {
    bar,
    dock,
    /**
     * Adds a section as panel `name`. options.toolbar (default true): a toggle named `label` in the toolbar (else the
     * page opens it, e.g. a track's effects); options.closeId: the id of its close button.
     */
    add(name, label, section, { toolbar = true, closeId = null } = {}) {
      if (!section) return;
      const close = h('button.dock-close', {
        type: 'button', id: closeId || `panel-close-${name}`, text: 'Close', title: `Close ${label} (Esc)`,
        'aria-label': `Close ${label}`, onclick: () => closePanel(),
      });
      const frame = h(`div.dock-panel#panel-${name}`, { hidden: true, 'data-panel': name },
        h('div.dock-scroll', {}, close, section));
      dock.append(frame);
      let toggle = null;
      if (toolbar) {
        toggle = h(`button.panel-toggle#panel-toggle-${name}`, {
          type: 'button', text: label, 'aria-expanded': 'false', 'aria-controls': frame.id, 'data-panel': name,
          tabindex: toggles().length ? '-1' : '0',
          onclick: () => (open === name ? closePanel() : openPanel(name, { opener: toggle })),
        });
        bar.append(toggle);
      }
      panels.set(name, { frame, toggle, remembered: toolbar });
    },
    open: openPanel,
    close: closePanel,
    /** The name of the open panel, or null. */
    current: () => open,
    /** Opens the panel this tab had open before a reload (without taking the focus from the page's heading). */
    restore() {
      const name = remembered(storageKey);
      if (name && panels.get(name)?.remembered) openPanel(name, { focus: false });
    },
  };
}
