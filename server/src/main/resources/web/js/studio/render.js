// The studio's "Render" section: saves the effects chain, renders it over the original into the processed audio,
// follows the job live and shows what it did to the master.
import { h, messageBox } from '../shared/dom.js';
import { post } from '../api.js';
import { studioCard } from './card.js';
import { followJob } from './jobs.js';
import { safetyLimiterControls, masterFigures } from './master.js';
import { jobWayOutLinks, showProblem } from '../account/way-out.js';

/** A render job's state in words. */
function renderWords(job) {
  const percent = Math.round((job.progress || 0) * 100);
  return {
    queued: 'Waiting for a worker…',
    running: `Rendering… ${percent}%${job.message ? ` (${job.message})` : ''}`,
    succeeded: 'Rendered: the processed audio is ready to play.',
    failed: `The render failed: ${job.error_message || job.error_code || 'unknown reason'}`,
    cancelled: 'The render was cancelled.',
  }[job.status] || job.status;
}

/**
 * The render card of project projectId. saveChain() stores the chain before the render; onRendered(job) runs after
 * a render succeeded (the studio reloads the project and plays the processed audio). Returns {section}.
 */
export function renderSection({ projectId, canEdit, disposers, saveChain, onRendered = async () => {} }) {
  const button = h('button.primary', { type: 'button', id: 'render', text: 'Render', disabled: !canEdit });
  const progress = h('progress', { id: 'render-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Render progress' });
  const status = h('p.status', { id: 'render-status', role: 'status', 'aria-live': 'polite' });
  const limiter = safetyLimiterControls('render', { on: false, disabled: !canEdit });
  const figures = h('div', { id: 'render-figures' });
  const message = messageBox();
  let following = null;
  disposers.push(() => following?.close());

  function showJob(job) {
    progress.value = job.progress || 0;
    status.dataset.status = job.status;
    status.replaceChildren(renderWords(job), ...jobWayOutLinks(job));
  }

  async function ended(done) {
    showJob(done);
    button.disabled = false;
    const measured = done.status === 'succeeded' ? masterFigures(done.result, 'render-master') : null;
    if (measured) figures.replaceChildren(measured);
    // a failure is said once, in the status line (with its way out when storage ran out)
    if (done.status === 'succeeded') await onRendered(done);
  }

  button.addEventListener('click', async () => {
    message.clear();
    figures.replaceChildren();
    button.disabled = true;
    try {
      await saveChain();
      const job = await post(`/projects/${projectId}/render`, { count_in_bars: 0, tail_seconds: 2, ...limiter.value() });
      progress.hidden = false;
      showJob(job);
      following = followJob(job.id, {
        onProgress: showJob,
        onEnd: ended,
        onError: (e) => {
          showProblem(message, e);
          button.disabled = false;
        },
      });
    } catch (e) {
      showProblem(message, e);
      button.disabled = false;
    }
  });

  return {
    section: studioCard('render', 'Render',
      h('p.hint', { text: 'Saves the chain, then renders it over the original into the processed audio. '
        + 'Bypassed effects are left out.' }),
      limiter.el, button, progress, status, figures, message.el),
  };
}
