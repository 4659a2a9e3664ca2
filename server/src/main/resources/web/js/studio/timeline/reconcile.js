// Keeps a box's children in step with a list of things that have ids (tracks → rows, tracks → mixer strips): a view
// is made once per id and updated in place, so a control being used keeps its focus; only views out of place move.

/** views: Map(id → {el}); make(item) → view; update(view, item); made(view) after a new view is in the box. */
export function reconcile(box, views, items, { make, update, made = () => {} }) {
  const seen = new Set();
  items.forEach((item, i) => {
    seen.add(item.id);
    let view = views.get(item.id);
    const isNew = !view;
    if (isNew) {
      view = make(item);
      views.set(item.id, view);
    }
    update(view, item);
    if (box.children[i] !== view.el) box.insertBefore(view.el, box.children[i] || null);
    if (isNew) made(view);
  });
  for (const [id, view] of views) {
    if (!seen.has(id)) {
      view.el.remove();
      views.delete(id);
    }
  }
}
