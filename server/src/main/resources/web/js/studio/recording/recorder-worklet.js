// AudioWorklet processor (loaded with audioContext.audioWorklet.addModule): copies the microphone's PCM to the
// page in blocks and reports the input level. Capture starts at the context time given by {start: t} (after the
// count-in), from that very frame (the first block is cut there, so a recording lines up with the arrangement to the
// sample), and ends with {stop: true}.
class RecorderProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.startAt = Infinity;
    this.stopped = false;
    this.peak = 0;
    this.blocks = 0;
    this.port.onmessage = (event) => {
      if (typeof event.data.start === 'number') this.startAt = event.data.start;
      if (event.data.stop) {
        this.stopped = true;
        this.port.postMessage({ done: true });
      }
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) this.peak = Math.max(this.peak, Math.abs(channel[i]));
      if (++this.blocks % 8 === 0) {
        this.port.postMessage({ level: this.peak });
        this.peak = 0;
      }
      if (!this.stopped) {
        const from = Math.round(this.startAt * sampleRate) - currentFrame; // where capture starts in this block
        if (from < channel.length) this.port.postMessage({ pcm: channel.slice(Math.max(0, from)) });
      }
    }
    return !this.stopped;
  }
}

registerProcessor('recorder-processor', RecorderProcessor);
