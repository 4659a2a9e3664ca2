// The mixer: one strip per track (fader in dB from −∞ to +6, pan, mute, solo, level meter) and the master strip
// (fader, meter, clip light). Moving a fader or a pan is heard at once; the change is sent (PATCH the track) once
// the hand rests, as one undoable step from where the gesture began. The master fader is the song's
// (the arrangement's master.volume_db, played by the mixdown and the stems too), sent the same way.
// A strip of a track with effects says when its new sound is being rendered and when it could not be (the track
// then plays without its effects): track-previews.js. Whoever may only listen (a viewer, a listener of a public
// project) mutes and solos here for themselves: nothing is sent or saved, and the strip says so.
import { h } from '../../shared/dom.js';
import { faderDb, faderPosition, formatDb, formatPan, MAX_FADER_DB, MIN_FADER_DB } from './mix-laws.js';
import { meterView, peakOf } from './meters.js';
import { reconcile } from './reconcile.js';
import { previewsFor } from './track-previews.js';

const SETTLE_MS = 350;

/** "−3.5", "-inf", "" → dB (null = −∞), or undefined when it is not a level. */
export function parseDb(text) {
  const t = String(text).trim().replace('−', '-').replace(/\s*dB$/i, '');
  if (/^-?(inf|∞)$/i.test(t) || t === '-∞') return null;
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) return undefined;
  if (n < MIN_FADER_DB) return null;
  return Math.min(MAX_FADER_DB, n);
}

/** A fader: a vertical slider (audio taper) and a box for the exact level; onInput(dB) while moving. */
function fader(label, id, onInput) {
  const slider = h('input.fader', { type: 'range', min: '0', max: '1000', step: '1', id, 'aria-label': `${label} volume` });
  const box = h('input.db', { type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-label': `${label} volume in dB`, size: '6' });
  let db = 0;
  const show = (value, { keepBox = false } = {}) => {
    db = value;
    slider.value = String(Math.round(faderPosition(value) * 1000));
    slider.setAttribute('aria-valuetext', formatDb(value));
    const text = value === null ? '−∞' : value.toFixed(1).replace('-', '−');
    box.placeholder = text;
    if (!keepBox) box.value = text;
  };
  slider.addEventListener('input', () => {
    const value = faderDb(Number(slider.value) / 1000);
    show(value === null ? null : Math.round(value * 10) / 10);
    onInput(db);
  });
  // keys move the fader in dB: arrows by half a dB, Page Up/Down by 6 dB, End to +6, Home to −∞
  slider.addEventListener('keydown', (event) => {
    const from = db === null ? -Infinity : db;
    const moves = {
      ArrowUp: 0.5, ArrowRight: 0.5, ArrowDown: -0.5, ArrowLeft: -0.5, PageUp: 6, PageDown: -6,
    };
    let value;
    if (event.key in moves) {
      value = from === -Infinity ? (moves[event.key] > 0 ? -60 : null) : from + moves[event.key];
      if (value !== null && value < -60 && moves[event.key] < 0) value = null;
    } else if (event.key === 'End') value = MAX_FADER_DB;
    else if (event.key === 'Home') value = null;
    else return;
    event.preventDefault();
    show(value === null ? null : Math.min(MAX_FADER_DB, Math.round(value * 10) / 10));
    onInput(db);
  });
  slider.addEventListener('dblclick', () => {
    show(0);
    onInput(0);
  });
  box.addEventListener('change', () => {
    // an emptied box changes nothing (and shows the level as its placeholder until the next one is typed)
    if (!box.value.trim()) return;
    const value = parseDb(box.value);
    if (value === undefined) {
      show(db);
      return;
    }
    show(value);
    onInput(db, { now: true });
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') box.blur();
  });
  return { slider, box, show, value: () => db, busy: () => document.activeElement === box };
}

/**
 * ctx: {store, setTrackLive(id, fields), commitTrack(id, changes, before, label), setTrack(id, changes, label),
 * canEdit, masterDb(), setMasterLive(db), commitMaster(db, before), meters() → {master, tracks} | null, report(error),
 * openEffects(trackId) (optional: a strip's "Effects" button), beforeMaster (an element
 * shown between the strips and the master)}.
 * Returns {el, render(reason), tick(), dispose()}.
 */
export function mixer(ctx) {
  const { store } = ctx;
  const stripsBox = h('div.strips', {});
  const strips = new Map();
  const scratch = new Float32Array(2048);
  // a listener's own mute and solo (not saved): track id → {muted, soloed}, kept over a reload of the arrangement
  const local = new Map();
  let previews = null;

  /** The project's track previews, and each strip told when its track's changes. */
  function previewSet() {
    if (!previews && store.doc.project_id) {
      previews = previewsFor(store.doc.project_id);
      previews.subscribe((trackId) => strips.get(trackId)?.showSound(previews.state(trackId)));
    }
    return previews;
  }

  /** Mute or solo for this listener alone: heard at once, never sent. */
  function toggleLocally(track, field) {
    const value = !track[field];
    local.set(track.id, { ...local.get(track.id), [field]: value });
    ctx.setTrackLive(track.id, { [field]: value });
  }

  /** Debounces a gesture on one control: the first change remembers where it began; the last one is sent. */
  function gesture(trackId, field, label) {
    let before;
    let timer = 0;
    return (value, { now = false } = {}) => {
      const track = store.track(trackId);
      if (!track) return;
      if (before === undefined) before = track[field];
      ctx.setTrackLive(trackId, { [field]: value });
      clearTimeout(timer);
      const send = () => {
        const was = before;
        before = undefined;
        if (was === store.track(trackId)?.[field]) return;
        ctx.commitTrack(trackId, { [field]: store.track(trackId)[field] }, { [field]: was }, label).catch(ctx.report);
      };
      if (now) send();
      else timer = setTimeout(send, SETTLE_MS);
    };
  }

  function strip(track) {
    const name = h('span.strip-name');
    const volume = fader(track.name, `fader-${track.id}`, gesture(track.id, 'volume_db', 'volume'));
    const panChange = gesture(track.id, 'pan', 'pan');
    const pan = h('input.pan', { type: 'range', min: '-100', max: '100', step: '1' });
    const panText = h('output.pan-text');
    const mute = h('button.toggle.mute', { type: 'button', text: 'M' });
    const solo = h('button.toggle.solo', { type: 'button', text: 'S' });
    const effects = h('button.effects', { type: 'button', text: 'Effects' });
    const meter = h('canvas.meter', { 'aria-hidden': 'true' });
    const meterShow = meterView(meter);
    // what this track's effects sound like: being rendered, or not heard (the track plays dry)
    const sound = h('small.fx-note', { 'aria-live': 'polite', hidden: true });
    const onlyYou = ctx.canEdit ? null
      : h('small.only-you', { id: `only-you-${track.id}`, text: 'Mute and solo: only for you' });
    const el = h('div.strip', { role: 'group' },
      name,
      h('div.strip-main', {}, meter, volume.slider),
      volume.box,
      h('div.pan-line', {}, pan, panText),
      h('div.strip-buttons', {}, mute, solo),
      onlyYou,
      ctx.openEffects ? effects : null,
      sound);
    let current = track;
    for (const control of [volume.slider, volume.box, pan]) control.disabled = !ctx.canEdit;
    if (onlyYou) {
      for (const button of [mute, solo]) button.setAttribute('aria-describedby', onlyYou.id);
    }
    pan.addEventListener('input', () => {
      panChange(Number(pan.value) / 100);
      panText.value = formatPan(Number(pan.value) / 100);
    });
    pan.addEventListener('dblclick', () => {
      pan.value = '0';
      panChange(0);
    });
    mute.addEventListener('click', () => {
      if (!ctx.canEdit) toggleLocally(current, 'muted');
      else ctx.setTrack(current.id, { muted: !current.muted }, current.muted ? 'unmute' : 'mute').catch(ctx.report);
    });
    effects.addEventListener('click', () => ctx.openEffects(current.id));
    solo.addEventListener('click', () => {
      if (!ctx.canEdit) toggleLocally(current, 'soloed');
      else ctx.setTrack(current.id, { soloed: !current.soloed }, current.soloed ? 'unsolo' : 'solo').catch(ctx.report);
    });
    return {
      el,
      meter: meterShow,
      /** state: {status: 'none' | 'rendering' | 'ready' | 'failed', error, heard: 'preview' | 'clips'}. */
      showSound(state) {
        el.dataset.preview = state.status;
        if (state.heard) el.dataset.heard = state.heard;
        const note = { rendering: 'rendering effects…', failed: 'effects not heard: playing dry' }[state.status];
        sound.hidden = !note;
        sound.textContent = note || '';
        sound.dataset.status = state.status;
        sound.title = state.status === 'failed' ? `The effects of ${current.name} could not be rendered`
          + `${state.error ? ` (${state.error})` : ''}; the track plays without them until its effects or clips change.`
          : '';
      },
      update(t) {
        current = t;
        el.dataset.trackId = t.id;
        el.setAttribute('aria-label', `Mixer strip of ${t.name}`);
        el.style.setProperty('--track', t.colour || '#4f8cff');
        name.textContent = t.name;
        name.title = t.name;
        if (!volume.busy()) volume.show(t.volume_db);
        volume.slider.setAttribute('aria-label', `Volume of ${t.name}`);
        volume.box.setAttribute('aria-label', `Volume of ${t.name} in dB`);
        if (document.activeElement !== pan || Number(pan.value) !== Math.round(t.pan * 100)) pan.value = String(Math.round((t.pan || 0) * 100));
        pan.setAttribute('aria-label', `Pan of ${t.name}`);
        pan.setAttribute('aria-valuetext', formatPan(t.pan || 0));
        panText.value = formatPan(t.pan || 0);
        effects.setAttribute('aria-label', `Effects of ${t.name}`);
        effects.dataset.count = String((t.effects_chain || []).length);
        for (const [button, on, word] of [[mute, t.muted, 'Mute'], [solo, t.soloed, 'Solo']]) {
          button.setAttribute('aria-pressed', String(Boolean(on)));
          button.setAttribute('aria-label', `${word} ${t.name}`);
          button.title = ctx.canEdit ? `${word} ${t.name}` : `${word} ${t.name} for you only (not saved)`;
        }
        el.dataset.localMix = String(!ctx.canEdit && Boolean(t.muted || t.soloed));
        const set = previewSet();
        if (set) this.showSound(set.state(t.id));
      },
    };
  }

  /** A reloaded arrangement brings the saved mute and solo back: a listener's own are put over them again. */
  function keepLocalMix() {
    for (const [id, fields] of local) {
      const track = store.track(id);
      if (!track) {
        local.delete(id);
        continue;
      }
      const drift = Object.entries(fields).filter(([field, value]) => Boolean(track[field]) !== value);
      if (drift.length) queueMicrotask(() => ctx.setTrackLive(id, Object.fromEntries(drift)));
    }
  }

  // the master strip: its fader is sent like a track's, once the hand rests, as one undoable step
  let masterBefore;
  let masterTimer = 0;
  const masterFader = fader('Master', 'fader-master', (db, { now = false } = {}) => {
    if (masterBefore === undefined) masterBefore = ctx.masterDb();
    ctx.setMasterLive(db);
    clearTimeout(masterTimer);
    const send = () => {
      const was = masterBefore;
      masterBefore = undefined;
      if (was === ctx.masterDb()) return;
      ctx.commitMaster(ctx.masterDb(), was).catch(ctx.report);
    };
    if (now) send();
    else masterTimer = setTimeout(send, SETTLE_MS);
  });
  for (const control of [masterFader.slider, masterFader.box]) control.disabled = !ctx.canEdit;
  const masterMeters = [h('canvas.meter.master-meter', { 'aria-hidden': 'true' }), h('canvas.meter.master-meter', { 'aria-hidden': 'true' })];
  const masterShows = masterMeters.map(meterView);
  const clipLight = h('button.clip-light', {
    type: 'button', text: 'CLIP', 'data-clipped': 'false', 'aria-pressed': 'false',
    'aria-label': 'Master clip indicator: lights when the mix reaches 0 dBFS; press to reset',
  });
  clipLight.addEventListener('click', () => {
    clipLight.dataset.clipped = 'false';
    clipLight.setAttribute('aria-pressed', 'false');
  });
  const masterStrip = h('div.strip.master', { role: 'group', 'aria-label': 'Master' },
    h('span.strip-name', { text: 'Master' }),
    h('div.strip-main', {}, ...masterMeters, masterFader.slider),
    masterFader.box,
    clipLight);
  masterFader.show(ctx.masterDb());

  const el = h('div.mixer', { role: 'region', 'aria-label': 'Mixer' }, stripsBox, ctx.beforeMaster || null, masterStrip);

  function render() {
    if (!masterFader.busy() && masterBefore === undefined) masterFader.show(ctx.masterDb());
    reconcile(stripsBox, strips, store.tracks, {
      make: strip, update: (s, track) => s.update(track), made: (s) => s.meter.show(0),
    });
    if (!ctx.canEdit) keepLocalMix();
  }

  /** One animation frame of the meters (silence when nothing plays). */
  function tick() {
    const meters = ctx.meters();
    for (const [id, s] of strips) {
      const analyser = meters?.tracks.get(id);
      s.meter.show(analyser ? peakOf(analyser, scratch) : 0);
    }
    let peak = 0;
    masterShows.forEach((meter, side) => {
      const p = meters ? peakOf(meters.master[side], scratch) : 0;
      meter.show(p);
      peak = Math.max(peak, p);
    });
    el.dataset.masterPeak = peak.toFixed(4);
    if (peak >= 1) {
      clipLight.dataset.clipped = 'true';
      clipLight.setAttribute('aria-pressed', 'true');
    }
  }

  return { el, render, tick };
}
