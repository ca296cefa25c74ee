#include "osslive/hls/bandwidth.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace osslive::hls {
namespace {

constexpr double kVbvInitialFill = 0.9;     // x264's vbv-init, which FFmpeg leaves alone
constexpr double kAacFrameCeiling = 1.5;    // aacenc re-encodes frames above 1.5x their budget
constexpr double kAdtsHeaderBits = 56;      // per AAC frame
constexpr double kTsPacket = 188, kTsPayload = 184;
constexpr double kVideoPesHeader = 14 + 5 + 8;  // PES header with PTS and DTS, and a PCR field
constexpr double kAudioPesHeader = 14;
constexpr double kAudioPesPayload = 2930;   // mpegts pes_payload_size
constexpr double kAudioPesDelay = 0.35;     // max_delay (0.7 s) / 2
constexpr double kPatPeriod = 0.1, kSdtPeriod = 0.5, kKeyframePeriod = 2.0;

double seconds(const media::Rational& r) { return r.to_double(); }

struct SegmentBits {
  double duration = 0;
  double peak_bits = 0;
  double average_bits = 0;
};

// TS packets around `es_bits` of elementary stream in `pes` PES packets with `header` bytes each:
// full payloads, plus at most one part-filled packet per PES.
double ts_packets(double es_bits, double pes, double header) { return (es_bits / 8 + pes * header) / kTsPayload + pes; }

// PAT and PMT every 100 ms and before each video keyframe, SDT every 500 ms, and once at the start.
double si_packets(double d, bool video) {
  return 2 * (d / kPatPeriod + (video ? d / kKeyframePeriod : 0) + 2) + (d / kSdtPeriod + 2);
}

// Audio frames gather in one PES until the next would pass 2930 bytes or 350 ms have passed, so a
// PES closed for size holds more than 2930 bytes less the largest frame.
double audio_packets(double es_bits, double d, double largest_frame_bytes) {
  const double per_pes = std::max(256.0, kAudioPesPayload - largest_frame_bytes);
  const double pes = es_bits / 8 / per_pes + d / kAudioPesDelay + 2;
  return ts_packets(es_bits, pes, kAudioPesHeader);
}

std::int64_t audio_rate(const AudioParams& a) {
  if (a.bitrate > 0) return a.bitrate;
  return std::min<std::int64_t>(64'000LL * std::max(a.channels, 1), 320'000);
}

SegmentBits segment_bits(const VideoParams* video, const AudioParams* audio, const Segment& s) {
  SegmentBits out;
  out.duration = seconds(s.duration);
  double peak_packets = si_packets(out.duration, video != nullptr), average_packets = peak_packets;
  if (video) {
    const double cap = static_cast<double>(video->maxrate > 0 ? video->maxrate : video->bitrate);
    const double buffer = static_cast<double>(video->bufsize > 0 ? video->bufsize : cap);
    const double target = static_cast<double>(video->bitrate > 0 ? video->bitrate : cap);
    const double frames = static_cast<double>(s.video_frames);
    peak_packets += ts_packets(kVbvInitialFill * buffer + cap * out.duration, frames, kVideoPesHeader);
    average_packets += ts_packets(target * out.duration, frames, kVideoPesHeader);
  }
  if (audio) {
    const double rate = static_cast<double>(audio_rate(*audio));
    const double frames = static_cast<double>(s.audio_frames);
    const double d = frames * kAacFrameSamples / audio->sample_rate;
    // Per frame: 1.5 times its share of the rate, never more than 6144 bits a channel.
    const double budget = rate * kAacFrameSamples / audio->sample_rate;
    const double largest = std::min(kAacFrameCeiling * budget, 6144.0 * audio->channels) / 8 + kAdtsHeaderBits / 8;
    peak_packets += audio_packets(kAacFrameCeiling * rate * d + kAdtsHeaderBits * frames, d, largest);
    average_packets += audio_packets(rate * d + kAdtsHeaderBits * frames, d, largest);
  }
  out.peak_bits = peak_packets * kTsPacket * 8;
  out.average_bits = average_packets * kTsPacket * 8;
  return out;
}

}  // namespace

RateBound ts_rate_bound(const VideoParams* video, const AudioParams* audio, const SegmentPlan& plan) {
  std::vector<SegmentBits> segments;
  double total = 0, total_bits = 0;
  for (const Segment& s : plan.segments) {
    segments.push_back(segment_bits(video, audio, s));
    total += segments.back().duration;
    total_bits += segments.back().average_bits;
  }
  RateBound bound;
  if (segments.empty() || total <= 0) return bound;
  const double target = static_cast<double>(plan.target_duration);
  double peak = 0, whole = 0;
  bool any = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    double w = 0, bits = 0;
    for (std::size_t j = i; j < segments.size() && w < 1.5 * target; ++j) {
      w += segments[j].duration;
      bits += segments[j].peak_bits;
      if (w >= 0.5 * target && w <= 1.5 * target) {
        peak = std::max(peak, bits / w);
        any = true;
      }
    }
    whole += segments[i].peak_bits;
  }
  if (!any) peak = whole / total;
  bound.peak = static_cast<std::int64_t>(std::ceil(peak));
  bound.average = std::min(bound.peak, static_cast<std::int64_t>(std::ceil(total_bits / total)));
  return bound;
}

std::int64_t default_max_bitrate(int width, int height, media::Rational frame_rate) {
  struct Step {
    std::int64_t area;
    std::int64_t rate;
  };
  constexpr Step kSteps[] = {{320 * 240, 600'000},     {640 * 360, 1'200'000},  {854 * 480, 2'000'000},
                             {1280 * 720, 4'500'000},  {1920 * 1080, 8'000'000}, {2560 * 1440, 14'000'000},
                             {3840 * 2160, 25'000'000}};
  const std::int64_t area = static_cast<std::int64_t>(width) * height;
  std::int64_t rate = 40'000'000;
  for (const Step& step : kSteps) {
    if (area <= step.area) {
      rate = step.rate;
      break;
    }
  }
  if (frame_rate.positive() && frame_rate.num > 30 * frame_rate.den) rate = rate * 3 / 2;
  return rate;
}

}  // namespace osslive::hls
