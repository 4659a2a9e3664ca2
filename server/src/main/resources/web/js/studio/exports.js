// The studio's export section: encode the original or processed audio in a download format, follow the job live,
// offer the file as a download, and show how many exports the plan has left.
import { h, field, messageBox } from '../shared/dom.js';
import { formatBytes } from '../shared/words.js';
import { api, get, post } from '../api.js';
import { studioCard } from './card.js';
import { followJob } from './jobs.js';
import { safetyLimiterControls, masterFigures } from './master.js';
import { jobWayOutLinks, showProblem } from '../account/way-out.js';

/**
 * The download formats offered, in the order shown: each names what POST /projects/{id}/exports is sent (format,
 * and FLAC's bit depth or MP3's bitrate or VBR quality) and the file's extension.
 */
export const EXPORT_FORMATS = [
  ['wav16', 'WAV, 16-bit', { format: 'wav16' }, 'wav'],
  ['wav24', 'WAV, 24-bit', { format: 'wav24' }, 'wav'],
  ['wav32f', 'WAV, 32-bit float', { format: 'wav32f' }, 'wav'],
  ['flac16', 'FLAC, 16-bit', { format: 'flac', bit_depth: 16 }, 'flac'],
  ['flac', 'FLAC, 24-bit', { format: 'flac', bit_depth: 24 }, 'flac'],
  ['mp3-320', 'MP3, 320 kbps', { format: 'mp3', mp3: { bitrate_kbps: 320 } }, 'mp3'],
  ['mp3', 'MP3, 192 kbps', { format: 'mp3', mp3: { bitrate_kbps: 192 } }, 'mp3'],
  ['mp3-128', 'MP3, 128 kbps', { format: 'mp3', mp3: { bitrate_kbps: 128 } }, 'mp3'],
  ['mp3-v0', 'MP3, variable (V0, best)', { format: 'mp3', mp3: { vbr_quality: 0 } }, 'mp3'],
  ['mp3-v2', 'MP3, variable (V2, smaller)', { format: 'mp3', mp3: { vbr_quality: 2 } }, 'mp3'],
];
const choiceOf = (value) => EXPORT_FORMATS.find(([v]) => v === value);
const formatLabel = (format) => choiceOf(format)?.[1] || format;

const NAME_SUFFIX = {
  wav16: '-16bit', wav24: '-24bit', wav32f: '-32bit-float', flac16: '-16bit', 'mp3-320': '-320k', 'mp3-128': '-128k',
  'mp3-v0': '-v0', 'mp3-v2': '-v2',
};

/** "Night drive", processed, wav24 → "night-drive-processed-24bit"; only safe characters in a file name. */
function fileStem(title, source, format) {
  const stem = String(title || 'export').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${stem || 'export'}-${source}${NAME_SUFFIX[format] || ''}`;
}

/** The exports line of GET /usage in words, e.g. "7 of 10 exports left this month (renews 1 Aug 2025)". */
function describeQuota(usage) {
  const exports = (usage?.resources || []).find((r) => r.resource_type === 'exports');
  if (!exports) return { text: '', remaining: '' };
  if (exports.limit === null || exports.limit === undefined) {
    return { text: `Unlimited exports on your ${usage.tier || 'current'} plan.`, remaining: 'unlimited' };
  }
  const limit = Number(exports.limit);
  const remaining = Math.max(0, limit - Number(exports.used || 0));
  const period = { monthly: ' this month', daily: ' today', weekly: ' this week', yearly: ' this year' }[exports.reset_period] || '';
  const renews = exports.resets_at
    ? ` (renews ${new Date(exports.resets_at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })})`
    : '';
  return {
    text: `${remaining} of ${limit} exports left${period} on your ${usage.tier || 'current'} plan${renews}.`,
    remaining: String(remaining),
  };
}

/**
 * The export card. Returns {section, update(project)}; update() is called when the project's audio changed
 * (a render made processed audio available).
 */
export function exportsSection({ projectId, project, canEdit, disposers }) {
  let current = project;
  let hadProcessed = false;
  const formatSelect = field('Format', { tag: 'select', id: 'export-format' });
  for (const [value, label] of EXPORT_FORMATS) formatSelect.input.append(h('option', { value, text: label }));
  const sourceSelect = field('Audio', { tag: 'select', id: 'export-source' });
  const processedOption = h('option', { value: 'processed', text: 'Processed (rendered)' });
  sourceSelect.input.append(h('option', { value: 'original', text: 'Original' }), processedOption);
  const exportButton = h('button.primary', { type: 'button', id: 'export', text: 'Export' });
  const limiter = safetyLimiterControls('export', { on: true });
  const figures = h('div', { id: 'export-figures' });
  const quota = h('p.quota', { id: 'export-quota', role: 'status', 'aria-live': 'polite' });
  const progress = h('progress', { id: 'export-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Export progress' });
  const status = h('p.status', { id: 'export-status', role: 'status', 'aria-live': 'polite' });
  const message = messageBox();
  const downloads = h('ul.downloads', { id: 'export-downloads', 'aria-label': 'Exported files' });
  const urls = [];
  let following = null;
  disposers.push(() => {
    following?.close();
    urls.forEach((url) => URL.revokeObjectURL(url));
  });

  function update(project) {
    current = project;
    const hasProcessed = Boolean(current.has_processed_audio);
    processedOption.disabled = !hasProcessed;
    processedOption.textContent = hasProcessed ? 'Processed (rendered)' : 'Processed (render first)';
    if (!hasProcessed && sourceSelect.input.value === 'processed') sourceSelect.input.value = 'original';
    if (hasProcessed && !hadProcessed) sourceSelect.input.value = 'processed'; // a render just made it: offer it
    hadProcessed = hasProcessed;
    exportButton.disabled = !canEdit || !current.has_original_audio || Boolean(following);
  }

  async function refreshQuota() {
    try {
      const described = describeQuota(await get('/usage'));
      quota.textContent = described.text;
      quota.dataset.remaining = described.remaining;
    } catch (e) {
      quota.textContent = `Your export quota could not be loaded: ${e.message}`;
    }
  }

  function showJob(job, format) {
    progress.value = job.progress || 0;
    status.dataset.status = job.status;
    const percent = Math.round((job.progress || 0) * 100);
    status.replaceChildren({
      queued: `${formatLabel(format)}: waiting for a worker…`,
      running: `${formatLabel(format)}: encoding… ${percent}%`,
      succeeded: `${formatLabel(format)}: ready to download.`,
      failed: `The ${formatLabel(format)} export failed: ${job.error_message || job.error_code || 'unknown reason'}`,
      cancelled: `The ${formatLabel(format)} export was cancelled.`,
    }[job.status] || job.status, ...jobWayOutLinks(job));
  }

  /** The file needs the Authorization header: fetched as a blob, then offered through an <a download>. */
  async function offer(job, format, source) {
    const blob = await api('GET', `/projects/${projectId}/exports/${job.id}/file`, { as: 'blob' });
    const url = URL.createObjectURL(blob);
    urls.push(url);
    const extension = job.result?.extension || choiceOf(format)?.[3] || 'audio';
    const name = `${fileStem(current.title, source, format)}.${extension}`;
    const link = h('a.download', {
      href: url, download: name, 'data-format': format, 'data-size': String(blob.size),
      text: `Download ${name}`,
    });
    downloads.prepend(h('li', { 'data-format': format }, link,
      h('span.hint', { text: ` ${formatLabel(format)} of the ${source} audio, ${formatBytes(blob.size)}` })));
    link.focus();
  }

  exportButton.addEventListener('click', async () => {
    message.clear();
    figures.replaceChildren();
    const format = formatSelect.input.value;
    const source = sourceSelect.input.value;
    exportButton.disabled = true;
    try {
      const body = { ...choiceOf(format)[2], source, ...limiter.value() };
      const job = await post(`/projects/${projectId}/exports`, body);
      await refreshQuota(); // the export was counted when it was queued
      progress.hidden = false;
      showJob(job, format);
      following = followJob(job.id, {
        onProgress: (j) => showJob(j, format),
        onEnd: async (done) => {
          following = null;
          showJob(done, format);
          update(current);
          const measured = done.status === 'succeeded' ? masterFigures(done.result, 'export-master') : null;
          if (measured) figures.replaceChildren(measured);
          // a failure is said once, in the status line (with its way out when storage ran out)
          if (done.status === 'succeeded') await offer(done, format, source);
          await refreshQuota();
        },
        onError: (e) => {
          following = null;
          showProblem(message, e);
          update(current);
        },
      });
    } catch (e) {
      showProblem(message, e);
      update(current);
      await refreshQuota();
    }
  });

  const section = studioCard('export', 'Export',
    h('p.hint', { text: 'Encodes the original or the processed audio in a download format.' }),
    canEdit ? [h('div.add', {}, formatSelect.row, sourceSelect.row, exportButton), limiter.el, quota, progress, status,
      figures, message.el, downloads] : h('p.hint', { text: 'Only the project’s owner and editors export it.' }));
  update(project);
  if (canEdit) refreshQuota();
  return { section, update };
}
