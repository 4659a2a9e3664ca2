// Level meters: the peak of an AnalyserNode's latest samples in dBFS, drawn as a bar from −60 to +6 dB with a
// falling peak hold. Read on every animation frame while playing (the analyser holds 2048 samples, more than a
// frame's worth, so no peak slips between two reads).
import { sharpCanvas } from '../../shared/dom.js';

export const METER_FLOOR_DB = -60;
export const METER_TOP_DB = 6;

/** The peak (absolute sample value) of what the analyser holds now. */
export function peakOf(analyser, scratch) {
  analyser.getFloatTimeDomainData(scratch);
  let peak = 0;
  for (let i = 0; i < scratch.length; i++) {
    const v = Math.abs(scratch[i]);
    if (v > peak) peak = v;
  }
  return peak;
}

const heightOf = (db, height) => {
  const clamped = Math.max(METER_FLOOR_DB, Math.min(METER_TOP_DB, db));
  return ((clamped - METER_FLOOR_DB) / (METER_TOP_DB - METER_FLOOR_DB)) * height;
};

/** A meter on canvas: show(peak) draws it (peak as a sample value; 0 = silence). */
export function meterView(canvas) {
  let hold = -Infinity;
  let holdAge = 0;
  return {
    show(peak) {
      const db = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
      if (db >= hold || holdAge > 45) {
        hold = db;
        holdAge = 0;
      } else holdAge++;
      const { g, width, height, ratio } = sharpCanvas(canvas);
      g.fillStyle = '#21262d';
      g.fillRect(0, 0, width, height);
      const level = heightOf(db, height);
      const zero = height - heightOf(0, height);
      const warn = height - heightOf(-6, height);
      g.fillStyle = '#7ee787';
      g.fillRect(0, Math.max(height - level, warn), width, Math.min(level, height - warn));
      if (height - level < warn) {
        g.fillStyle = '#f2b35e';
        g.fillRect(0, Math.max(height - level, zero), width, warn - Math.max(height - level, zero));
      }
      if (height - level < zero) {
        g.fillStyle = '#ff7b72';
        g.fillRect(0, height - level, width, zero - (height - level));
      }
      if (Number.isFinite(hold) && hold > METER_FLOOR_DB) {
        g.fillStyle = hold >= 0 ? '#ff7b72' : '#e6edf3';
        g.fillRect(0, height - heightOf(hold, height), width, Math.max(1, ratio));
      }
      g.fillStyle = 'rgba(230, 237, 243, 0.35)';
      g.fillRect(0, zero, width, Math.max(1, ratio)); // 0 dB
      canvas.dataset.peakDb = Number.isFinite(db) ? db.toFixed(1) : '-inf';
      return db;
    },
  };
}
