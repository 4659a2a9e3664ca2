// The metronome's wake-up call, in a worker so that a background tab's timer throttling does not starve it.
// It only says "look ahead now"; the clicks themselves are scheduled on the AudioContext clock (metronome.js).
let timer = 0;
let interval = 25;

function tick() {
  postMessage('tick');
  timer = setTimeout(tick, interval);
}

onmessage = (event) => {
  clearTimeout(timer);
  if (event.data && typeof event.data.interval === 'number') {
    interval = event.data.interval;
    tick();
  }
};
