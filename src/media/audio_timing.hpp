#pragma once
// Private to src/media: what places decoded audio on the sample timeline the same way whatever
// packet a decode starts from (docs/seamless.md, "Audio placement").
//
// - The packet grid: the sample count every packet's decoded audio is a whole multiple of, so
//   that a timestamp rounded to a coarse container tick (1 ms) still names one exact sample.
// - Trimming by position: libav trims the stream's first samples (Opus pre-skip, an MP3 encoder
//   delay, an edit list) through a counter in the decoder that the first frame it decodes uses
//   up, whichever frame that is, and moves that frame's timestamp by the trimmed amount rounded
//   to the container tick. Decoders here are opened with AV_CODEC_FLAG2_SKIP_MANUAL instead:
//   frames keep their packet's timestamp and report what to trim, and every packet states its
//   own trim, so the decoder's start-up counter only ever lands on the stream's first packet.
#include <cstdint>

#include "av_raii.hpp"
#include "osslive/core/result.hpp"
#include "osslive/media/source_reader.hpp"

namespace osslive::media {

// The stream's packet grid in samples at `sample_rate` (the decoder's); 1 when unknown (PCM).
int audio_packet_grid(const AVCodecParameters* par, int sample_rate);

// Gives `packet` the trim side data the decoder acts on: the demuxer's own when it set one (an
// edit list, an encoder delay: tied to that packet); else, with keep_decoder_trim, none, so a
// newly opened decoder reports its own start-up trim (Opus pre-skip, WMA's first two frames) for
// it; else an explicit zero, which replaces whatever start-up trim the decoder still holds. The
// reader keeps the decoder's trim only for the stream's first packet decoded by a new decoder.
Status state_packet_trim(AVPacket* packet, bool keep_decoder_trim);

// Copies the trim a decoder opened with AV_CODEC_FLAG2_SKIP_MANUAL reported for `frame`.
void read_frame_trim(const AVFrame* frame, DecodedFrame& out);

}  // namespace osslive::media
