// Lists that grow a page at a time behind a "Load more" button: the API's cursor paging, 20 items a page.
import { h } from './dom.js';
import { get } from '../api.js';

/**
 * Fills `list` from GET path. query() gives the request's other parameters (an object or URLSearchParams; it may
 * be async); draw(items) gives the list items of one page; empty() the words for an empty first page; onReset()
 * runs when the list starts again. `more` shows while there is a next page; a failure of its click goes to onError.
 * Returns {load(reset)}: reset fetches the first page again (after a new filter), else the next page is added.
 */
export function pagedList({ list, more, path, query = () => ({}), draw, empty, onReset = () => {}, onError }) {
  let cursor = null;

  async function load(reset) {
    const params = new URLSearchParams({ limit: '20' });
    for (const [name, value] of new URLSearchParams(await query())) params.append(name, value);
    if (!reset && cursor) params.set('cursor', cursor);
    const page = await get(`${path}?${params}`);
    if (reset) {
      list.replaceChildren();
      onReset();
    }
    list.append(...draw(page.items));
    if (reset && page.items.length === 0) list.append(h('li.empty', { text: empty() }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }

  more.addEventListener('click', () => load(false).catch(onError));
  return { load };
}
