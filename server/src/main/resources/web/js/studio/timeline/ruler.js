// The ruler over the lanes: bars and beats (from bpm and beats_per_bar) above, seconds below, the loop region and
// the playhead. Click to put the playhead there; drag to mark a loop region (snapped to the grid when snap is on).
// Only the scrolled window is drawn: the canvas stays as wide as the screen however far one zooms in.
import { h, sharpCanvas } from '../../shared/dom.js';
import { framesPerBeat } from './grid.js';

/** A "nice" interval in seconds that is at least `minSeconds`: 0.01, 0.02, 0.05, 0.1 … 60, 120, 300. */
function niceSeconds(minSeconds) {
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
  return steps.find((s) => s >= minSeconds) || 600;
}

/** "0:05", "1:30", "0:02.5", "0:02.25": seconds as short as the interval between labels allows. */
function secondsLabel(seconds, every) {
  const digits = every >= 1 ? 0 : every >= 0.1 ? 1 : 2;
  const whole = Math.floor(seconds + 1e-9);
  const m = Math.floor(whole / 60);
  const rest = (seconds - m * 60).toFixed(digits);
  const [s, fraction] = rest.split('.');
  return `${m}:${s.padStart(2, '0')}${fraction ? `.${fraction}` : ''}`;
}

/** view: the timeline's shared view (tracks-view.js); onSeek(frame); onLoop({from, to}). */
export function ruler(view, { onSeek, onLoop }) {
  const canvas = h('canvas.tl-ruler', {
    role: 'slider', tabindex: '0', 'aria-label': 'Timeline ruler: click to move the playhead, drag to mark a loop region',
    'aria-valuemin': '0', 'aria-valuenow': '0',
  });

  function draw() {
    const doc = view.doc();
    const cssWidth = view.laneViewport();
    canvas.style.width = `${cssWidth}px`;
    const { g, height, ratio } = sharpCanvas(canvas, cssWidth);
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = cssWidth;
    const hgt = height / ratio;
    g.fillStyle = '#161b22';
    g.fillRect(0, 0, w, hgt);
    const left = view.scrollX();
    const frameAt = (x) => view.frameAt(left + x);
    const xOf = (frame) => view.x(frame) - left;

    // the loop region
    const loop = view.loop();
    if (loop) {
      const a = xOf(loop.from);
      const b = xOf(loop.to);
      g.fillStyle = view.looping() ? 'rgba(126, 231, 135, 0.35)' : 'rgba(154, 164, 175, 0.25)';
      g.fillRect(a, 0, b - a, hgt);
    }

    // bars and beats: a beat line only when beats are far enough apart, a bar number when bars are
    const perBeat = framesPerBeat(doc);
    const perBar = perBeat * (doc.beats_per_bar || 4);
    const beatPx = view.x(perBeat) - view.x(0);
    const barPx = beatPx * (doc.beats_per_bar || 4);
    const barEvery = barPx >= 40 ? 1 : 2 ** Math.ceil(Math.log2(40 / Math.max(barPx, 1e-6)));
    const firstBar = Math.max(0, Math.floor(frameAt(0) / perBar));
    const lastBar = Math.ceil(frameAt(w) / perBar);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'top';
    for (let bar = firstBar; bar <= lastBar; bar++) {
      const x = Math.round(xOf(bar * perBar)) + 0.5;
      const labelled = bar % barEvery === 0;
      g.fillStyle = labelled ? '#9aa4af' : '#484f58';
      g.fillRect(x, 0, 1, labelled ? hgt * 0.55 : hgt * 0.3);
      if (labelled) {
        g.fillStyle = '#e6edf3';
        g.fillText(String(bar + 1), x + 3, 2);
      }
      if (beatPx >= 10) {
        g.fillStyle = '#484f58';
        for (let beat = 1; beat < (doc.beats_per_bar || 4); beat++) {
          g.fillRect(Math.round(xOf(bar * perBar + beat * perBeat)) + 0.5, 0, 1, hgt * 0.22);
        }
      }
    }
    // seconds along the bottom
    const every = niceSeconds(70 / view.pixelsPerSecond());
    const firstSecond = Math.floor(frameAt(0) / doc.sample_rate / every) * every;
    g.textBaseline = 'bottom';
    for (let s = Math.max(0, firstSecond); s * doc.sample_rate <= frameAt(w); s += every) {
      const x = Math.round(xOf(s * doc.sample_rate)) + 0.5;
      g.fillStyle = '#30363d';
      g.fillRect(x, hgt - 5, 1, 5);
      g.fillStyle = '#9aa4af';
      const text = secondsLabel(s, every);
      g.fillText(text, x + 3, hgt - 1);
    }
    // the playhead: a marker
    const p = xOf(view.playhead());
    if (p >= -6 && p <= w + 6) {
      g.fillStyle = '#f2b35e';
      g.beginPath();
      g.moveTo(p - 6, 0);
      g.lineTo(p + 6, 0);
      g.lineTo(p, 9);
      g.closePath();
      g.fill();
      g.fillRect(p - 0.75, 0, 1.5, hgt);
    }
    canvas.setAttribute('aria-valuenow', String(Math.round(view.playhead())));
    canvas.setAttribute('aria-valuetext', view.describePosition(view.playhead()));
  }

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.focus({ preventScroll: true });
    const rect = canvas.getBoundingClientRect();
    const frameOf = (clientX) => view.snapped(view.frameAt(view.scrollX() + clientX - rect.left));
    const anchor = frameOf(event.clientX);
    let dragged = false;
    canvas.setPointerCapture(event.pointerId);
    const move = (e) => {
      if (!dragged && Math.abs(e.clientX - event.clientX) < 4) return;
      dragged = true;
      const at = frameOf(e.clientX);
      onLoop({ from: Math.min(anchor, at), to: Math.max(anchor, at) }, { final: false });
    };
    const up = (e) => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      if (!dragged) onSeek(anchor);
      else {
        const at = frameOf(e.clientX);
        onLoop({ from: Math.min(anchor, at), to: Math.max(anchor, at) }, { final: true });
      }
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
  });

  // keyboard: arrows move the playhead by a grid step (or a bar with Shift)
  canvas.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const step = event.shiftKey ? framesPerBeat(view.doc()) * (view.doc().beats_per_bar || 4) : view.step().frames;
    const sign = event.key === 'ArrowLeft' ? -1 : 1;
    onSeek(Math.max(0, view.snapped(view.playhead() + sign * step)));
  });

  return { el: canvas, draw };
}
