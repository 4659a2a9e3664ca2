/**
 * The multitrack engine: an {@link studio.nexus.audio.mix.Arrangement} (tracks of clips placed on a timeline) and
 * the {@link studio.nexus.audio.mix.Mixer} that streams it to a mixdown or to stems.
 *
 * <p>The rules a musician hears, decided once here so the browser's playback can follow the same ones:
 * <ul>
 *   <li><b>Overlapping clips</b> on one track: the clip that starts later covers the earlier one for as long as it
 *       lasts (on equal starts the one listed later covers); the earlier clip is heard again after it, as in most
 *       DAWs. Covered audio is not summed. Fades belong to the clip: a covered clip keeps the shape of its own
 *       fades on the parts still heard.
 *   <li><b>Fades</b> are linear in gain. A fade-in of F frames gives the clip's frame i the gain i/F (0 on its first
 *       frame); a fade-out is its mirror image: the clip's last frame has gain 0, the frame F before it (F−1)/F.
 *   <li><b>Fader</b>: volume in dB, −∞ (silence) to +6. <b>Clip gain</b> in dB, −96 to +24.
 *   <li><b>Pan law</b> is the one of the Web Audio API's {@code StereoPannerNode}, so a browser that plays the
 *       arrangement through one panner per track hears the same balance: with x = (pan + 1) / 2 a mono track gives
 *       left = cos(x·π/2), right = sin(x·π/2) (−3 dB each in the centre, constant power); a stereo track is kept as
 *       it is in the centre, and panning right fades the left channel by cos(pan·π/2) while moving it into the
 *       right with sin(pan·π/2) (and the mirror image to the left).
 *   <li><b>Mute and solo</b>: when any track is soloed only soloed tracks are heard; mute wins over solo (a muted
 *       soloed track stays silent, and still silences the others), as in Pro Tools.
 *   <li><b>Formats</b>: a take at another sample rate than the arrangement's is converted to the arrangement's rate
 *       as it plays ({@link studio.nexus.audio.resample.Resampler}: band-limited, no delay), and a clip's start,
 *       offset and length are in the arrangement's frames whatever the take's rate: the clip plays the converted
 *       take's frames from its offset, sample-accurate, and a take of n frames at rate r lasts round(n × song rate / r)
 *       frames. A take whose rate is unknown or outside 8000..384000 Hz, or that has no channels or more than two,
 *       is refused with {@link studio.nexus.audio.mix.TakeFormatException} before anything is rendered.
 *       Mono and stereo takes are accepted; a track whose takes are all mono is processed in mono and panned to
 *       stereo, a track with any stereo take is processed in stereo (its mono takes feed both sides). The mix is
 *       stereo.
 *   <li><b>Length</b>: a mixdown and every stem last from timeline frame 0 to the end of the last clip on any
 *       track (muted ones included, so soloing does not change the length), plus the tail the render asks for
 *       (reverb and delay ring out in it). Effects' latency is compensated: every track is delayed to the track with
 *       the most latency and the output is shifted back, so clips stay sample-accurate whatever the chains.
 *   <li><b>Stems</b> are the tracks after their fader and pan, each alone, all starting at 0 and of the mixdown's
 *       length; a track that is not heard (mute/solo) gives silence. The stems add up to the master bus before the
 *       master chain, master gain and safety limiter.
 * </ul>
 */
package studio.nexus.audio.mix;
