// A refusal the musician can do something about (a plan's limit, a Pro preset) names its way out in words
// (js/api.js) and carries it as links (ApiError.wayOut): these put the links after the words in a message box.
import { h } from '../shared/dom.js';
import { wayOutOf } from '../api.js';

/**
 * The links of an error's way out, to follow its words: message.show(e.message, 'error', ...wayOutLinks(e)).
 * A link to the page already open is left out (its list is right there); [] when there is no way out.
 */
export function wayOutLinks(error) {
  const ways = (error?.wayOut || []).filter((way) => way.href !== (location.hash || '#/'));
  return ways.flatMap((way, i) => [i === 0 ? ' ' : ' · ', h('a.way-out', { href: way.href, text: way.text })]);
}

/**
 * The way out of a job that failed for lack of storage (storage_full: a render or export past the plan's storage),
 * as links to follow its words in a status line; [] for any other outcome.
 */
export function jobWayOutLinks(job) {
  return job?.status === 'failed' && job.error_code === 'storage_full'
    ? wayOutLinks({ wayOut: wayOutOf({ code: 'limit_exceeded', resource_type: 'storage_mb' }) }) : [];
}

/** Shows an error in a message box: its words, then the links of its way out. */
export function showProblem(message, error) {
  message.show(error?.message || String(error), 'error', ...wayOutLinks(error));
}
