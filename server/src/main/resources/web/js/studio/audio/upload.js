// Bringing a take into the project: a file picker that is also a drop zone, with upload progress.
import { h, messageBox } from '../../shared/dom.js';
import { upload } from '../../api.js';
import { showProblem } from '../../account/way-out.js';

/**
 * The drop zone of project `projectId`. afterUpload(file) runs once the file is stored (the player then shows the
 * new take). Returns {el, send(file)}; send() is also how a recording is uploaded.
 */
export function dropzone(projectId, { afterUpload }) {
  const fileInput = h('input', { type: 'file', id: 'audio-file', accept: 'audio/*,.wav,.aif,.aiff,.flac,.mp3,.ogg' });
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const message = messageBox();

  async function send(file) {
    message.clear();
    progress.hidden = false;
    progress.value = 0;
    fileInput.disabled = true;
    try {
      await upload(`/projects/${projectId}/audio`, file, (f) => {
        progress.value = f;
      });
      await afterUpload(file);
      message.show(`Uploaded ${file.name}.`, 'ok');
    } catch (e) {
      showProblem(message, e); // past the plan's storage: with the way out
    } finally {
      fileInput.disabled = false;
      fileInput.value = '';
    }
  }

  fileInput.addEventListener('change', () => {
    if (fileInput.files.length) send(fileInput.files[0]);
  });
  const el = h('div.dropzone', { id: 'dropzone' },
    h('label', { for: 'audio-file', text: 'Choose an audio file (WAV, AIFF, FLAC, MP3, Ogg) or drop it here' }),
    fileInput, progress, message.el);
  el.addEventListener('dragover', (event) => {
    event.preventDefault();
    el.classList.add('over');
  });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', (event) => {
    event.preventDefault();
    el.classList.remove('over');
    const file = event.dataTransfer?.files?.[0];
    if (file) send(file);
  });
  return { el, send };
}
