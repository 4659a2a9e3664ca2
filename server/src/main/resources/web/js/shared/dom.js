// Tiny DOM helpers. User text only ever goes through textContent or attributes, never innerHTML.

/**
 * h('button.primary', {type: 'button', onclick: fn}, 'Save') — tag with optional .classes and #id,
 * attributes (on* become listeners; dataset/aria via their attribute names) and children (nodes or text).
 */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest = ''] = /^([a-z0-9-]+)(.*)$/i.exec(spec);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'text') el.textContent = String(value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let fieldIds = 0;

/** A labelled form field: <label for> + input; returns {row, input}. */
export function field(label, attrs = {}, hint) {
  const id = attrs.id || `f${++fieldIds}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const input = h(attrs.tag || 'input', { ...attrs, tag: undefined, id, 'aria-describedby': hintId });
  const row = h('div.field', {}, h('label', { for: id, text: label }), input,
    hint ? h('small.hint', { id: hintId, text: hint }) : null);
  return { row, input };
}

/** A message box for a form: role=alert so screen readers hear it. */
export function messageBox() {
  const box = h('p.message', { role: 'alert', hidden: true });
  return {
    el: box,
    /** Shows text, then any extra nodes (e.g. a link to what was just changed). */
    show(text, kind = 'error', ...extra) {
      box.replaceChildren();
      append(box, [text, ...extra]);
      box.className = `message ${kind}`;
      box.hidden = false;
    },
    clear() {
      box.textContent = '';
      box.hidden = true;
    },
  };
}

/**
 * Per-field error messages for a form whose fields came from field(): show(errors) puts each of an API's 422
 * {field, message} next to its input (aria-invalid, described by the message) and answers the errors it could not
 * place; clear() removes them. byName maps the API's field names to {row, input}.
 */
export function fieldErrors(byName) {
  const shown = [];
  return {
    clear() {
      for (const { input, note } of shown.splice(0)) {
        note.remove();
        input.removeAttribute('aria-invalid');
        const rest = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== note.id);
        if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
        else input.removeAttribute('aria-describedby');
      }
    },
    show(errors = []) {
      this.clear();
      const unplaced = [];
      for (const error of errors) {
        const target = byName[error.field];
        if (!target) {
          unplaced.push(error);
          continue;
        }
        const note = h('small.field-error', { id: `${target.input.id}-error`, text: error.message });
        target.row.append(note);
        target.input.setAttribute('aria-invalid', 'true');
        const described = (target.input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        target.input.setAttribute('aria-describedby', [...described, note.id].join(' '));
        shown.push({ input: target.input, note });
      }
      const first = shown[0];
      if (first) first.input.focus();
      return unplaced;
    },
  };
}

/**
 * Sizes a canvas's pixels to its size on screen times the device's pixel ratio (sharp on every screen), only when
 * they differ (resizing clears it); answers its 2D context and size in device pixels.
 */
export function sharpCanvas(canvas, cssWidth = canvas.clientWidth, cssHeight = canvas.clientHeight) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(cssWidth * ratio));
  const height = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return { g: canvas.getContext('2d'), width, height, ratio };
}
