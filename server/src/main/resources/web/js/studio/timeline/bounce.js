// Mixdown and stems from the desk: "Mix down" mixes the arrangement on the server into the project's processed
// audio (POST /mixdown, a job followed live), "Stems" makes a zip of one WAV per track plus the mix (POST /stems)
// offered as a download. The server mixes with the same laws the browser plays with, effects included.
import { h } from '../../shared/dom.js';
import { api, startMixdown, startStems } from '../../api.js';
import { decibels, formatBytes } from '../../shared/words.js';
import { followJob } from '../jobs.js';

/** "true peak −1.2 dBTP · −14.0 LUFS", and the clipped samples when there are any. */
function figures(result) {
  if (!result || result.true_peak_dbtp === undefined) return '';
  const loudness = result.integrated_lufs === null ? 'silent' : decibels(result.integrated_lufs, 'LUFS');
  const clipped = Number(result.clipped_samples) || 0;
  return `true peak ${decibels(result.true_peak_dbtp, 'dBTP')} · ${loudness}${
    clipped ? ` · ${clipped.toLocaleString()} samples clipped` : ''}`;
}

/**
 * ctx: {projectId, canEdit, disposers, onMixed() (the processed audio changed), report(error)}.
 * Returns {el}.
 */
export function bounce(ctx) {
  const mixButton = h('button#tl-mixdown', {
    type: 'button', text: 'Mix down', title: 'Mix the song into the project’s processed audio (on the server, with the effects)',
  });
  const stemsButton = h('button#tl-stems', {
    type: 'button', text: 'Stems', title: 'A zip of one WAV per track, each after its fader and pan, plus the mix',
  });
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'Progress of the mix' });
  const status = h('p.bounce-status#bounce-status', { role: 'status', 'aria-live': 'polite' });
  const link = h('a.download#stems-download', { hidden: true });
  const el = h('div.bounce', { role: 'group', 'aria-label': 'Mixdown and stems' },
    h('div.bounce-buttons', {}, mixButton, stemsButton), progress, status, link);
  let following = null;
  let url = null;
  ctx.disposers.push(() => {
    following?.close();
    if (url) URL.revokeObjectURL(url);
  });
  if (!ctx.canEdit) {
    mixButton.disabled = true;
    stemsButton.disabled = true;
    status.textContent = 'The owner and editors mix the song.';
  }

  const busy = (on) => {
    mixButton.disabled = on || !ctx.canEdit;
    stemsButton.disabled = on || !ctx.canEdit;
    progress.hidden = !on;
  };

  function show(kind, job) {
    const percent = Math.round((job.progress || 0) * 100);
    progress.value = job.progress || 0;
    status.dataset.status = job.status;
    status.textContent = {
      queued: 'Waiting for a worker…',
      running: `${kind === 'mixdown' ? 'Mixing' : 'Making stems'}… ${percent}%`,
      failed: `The ${kind === 'mixdown' ? 'mixdown' : 'stems'} failed: ${job.error_message || job.error_code || 'unknown reason'}`,
      cancelled: 'Cancelled.',
    }[job.status] || status.textContent;
  }

  async function offerStems(job) {
    const blob = await api('GET', `/projects/${encodeURIComponent(ctx.projectId)}/stems/${encodeURIComponent(job.id)}/file`, { as: 'blob' });
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(blob);
    link.href = url;
    link.download = `stems-${job.id}.zip`;
    link.textContent = `Download the stems (zip, ${formatBytes(blob.size)})`;
    link.dataset.size = String(blob.size);
    link.hidden = false;
  }

  async function run(kind) {
    status.textContent = '';
    link.hidden = kind === 'stems' ? true : link.hidden;
    busy(true);
    try {
      const job = await (kind === 'mixdown' ? startMixdown : startStems)(ctx.projectId, {});
      show(kind, job);
      following = followJob(job.id, {
        onProgress: (j) => show(kind, j),
        onEnd: async (j) => {
          following = null;
          busy(false);
          if (j.status !== 'succeeded') {
            show(kind, j);
            return;
          }
          // said done once everything is in place: the player holds the mix, or the zip is ready to download
          if (kind === 'mixdown') await ctx.onMixed?.();
          else await offerStems(j);
          status.textContent = kind === 'mixdown' ? `Mixed: ${figures(j.result)}. The processed audio is the mix now.`
            : `Stems ready: ${(j.result?.files || []).length} files · ${figures(j.result)}.`;
          status.dataset.clipped = String(Number(j.result?.clipped_samples) > 0);
          status.dataset.status = 'succeeded';
        },
        onError: (e) => {
          following = null;
          busy(false);
          ctx.report(e);
        },
      });
    } catch (e) {
      busy(false);
      ctx.report(e);
    }
  }

  mixButton.addEventListener('click', () => run('mixdown'));
  stemsButton.addEventListener('click', () => run('stems'));
  return { el };
}
