#include "wiresim/report/http2_frames.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "wiresim/wire/tcp.hpp"

namespace wiresim::report {

namespace {

/// RFC 9113 §3.4: the client connection preface.
constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kFrameHeader = 9;  ///< RFC 9113 §4.1
/// At most this many frames are named per segment; the rest are counted.
constexpr std::size_t kMaxNamed = 6;

/// One direction of one connection: the segments that carry its bytes.
struct Flow {
  std::uint32_t base = 0;        ///< sequence number of the first data byte (the SYN's + 1)
  bool has_base = false;
  std::vector<std::size_t> segments;  ///< indexes of segments with payload, capture order
};

std::string frame_label(std::uint8_t type, std::uint8_t flags, std::uint32_t stream) {
  std::string s = http2_frame_type_name(type) + fmt::format("[{}]", stream);
  constexpr std::uint8_t kEndStream = 0x1;  // DATA, HEADERS (RFC 9113 §6.1, §6.2)
  constexpr std::uint8_t kAck = 0x1;        // SETTINGS, PING (§6.5, §6.7)
  if ((type == 0 || type == 1) && (flags & kEndStream) != 0) s += " END_STREAM";
  if ((type == 4 || type == 6) && (flags & kAck) != 0) s += " ACK";
  return s;
}

/// The direction's bytes from offset 0 up to the first gap.
std::vector<std::uint8_t> contiguous(const Flow& flow, const std::vector<CapturedSegment>& segs,
                                     const std::vector<std::span<const std::uint8_t>>& payloads) {
  std::vector<std::pair<std::uint32_t, std::size_t>> chunks;  // (offset, segment), first copy first
  for (const std::size_t i : flow.segments) chunks.emplace_back(segs[i].seq - flow.base, i);
  std::stable_sort(chunks.begin(), chunks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::uint8_t> out;
  for (const auto& [off, i] : chunks) {
    if (off > out.size()) break;  // a gap the capture never filled
    const std::span<const std::uint8_t> p = payloads[i];
    const std::size_t skip = out.size() - off;
    if (skip < p.size()) out.insert(out.end(), p.begin() + static_cast<std::ptrdiff_t>(skip), p.end());
  }
  return out;
}

/// (offset, label) of every frame that starts in `bytes` from `pos` on.
std::vector<std::pair<std::uint64_t, std::string>> frames(const std::vector<std::uint8_t>& bytes, std::size_t pos) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  while (pos + kFrameHeader <= bytes.size()) {
    const std::uint32_t len = (std::uint32_t{bytes[pos]} << 16) | (std::uint32_t{bytes[pos + 1]} << 8) | bytes[pos + 2];
    const std::uint32_t stream = ((std::uint32_t{bytes[pos + 5]} << 24) | (std::uint32_t{bytes[pos + 6]} << 16) |
                                  (std::uint32_t{bytes[pos + 7]} << 8) | bytes[pos + 8]) &
                                 0x7fff'ffffu;
    out.emplace_back(pos, frame_label(bytes[pos + 3], bytes[pos + 4], stream));
    pos += kFrameHeader + len;  // every step moves forward: the loop ends
  }
  return out;
}

}  // namespace

std::string http2_frame_type_name(std::uint8_t type) {
  static constexpr std::string_view kNames[] = {"DATA",   "HEADERS", "PRIORITY", "RST_STREAM",    "SETTINGS",
                                                "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"};
  if (type < std::size(kNames)) return std::string(kNames[type]);
  return fmt::format("UNKNOWN(0x{:02x})", type);
}

void label_http2_frames(std::vector<CapturedSegment>& segs, const std::vector<std::span<const std::uint8_t>>& payloads) {
  std::map<std::pair<std::string, std::string>, Flow> flows;  // (src, dst): ordered, deterministic
  for (std::size_t i = 0; i < segs.size() && i < payloads.size(); ++i) {
    const CapturedSegment& s = segs[i];
    Flow& f = flows[{s.src, s.dst}];
    if ((s.flags & wire::kSyn) != 0 && !f.has_base) {
      f.base = s.seq + 1;
      f.has_base = true;
    }
    if (s.payload_len > 0 && f.has_base) f.segments.push_back(i);
  }
  for (auto& [key, client] : flows) {
    if (client.segments.empty()) continue;
    const std::vector<std::uint8_t> bytes = contiguous(client, segs, payloads);
    if (bytes.size() < kPreface.size() ||
        !std::equal(kPreface.begin(), kPreface.end(), bytes.begin(),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; })) {
      continue;
    }
    // This direction is a client's: it and its reverse carry HTTP/2 frames.
    std::vector<std::pair<std::uint64_t, std::string>> starts{{0, "Magic"}};
    for (auto& fr : frames(bytes, kPreface.size())) starts.push_back(std::move(fr));
    const auto label = [&](const Flow& flow, const std::vector<std::pair<std::uint64_t, std::string>>& at) {
      for (const std::size_t i : flow.segments) {
        const std::uint64_t off = segs[i].seq - flow.base;
        const std::uint64_t end = off + segs[i].payload_len;
        std::vector<std::string> names;
        std::size_t more = 0;
        for (auto it = std::lower_bound(at.begin(), at.end(), std::make_pair(off, std::string{}));
             it != at.end() && it->first < end; ++it) {
          if (names.size() < kMaxNamed) {
            names.push_back(it->second);
          } else {
            ++more;
          }
        }
        if (names.empty()) continue;
        std::string text = "HTTP2 " + fmt::format("{}", fmt::join(names, ", "));
        if (more > 0) text += fmt::format(" (+{} more)", more);
        segs[i].http2 = std::move(text);
      }
    };
    label(client, starts);
    const auto reverse = flows.find({key.second, key.first});
    if (reverse == flows.end() || reverse->second.segments.empty()) continue;
    label(reverse->second, frames(contiguous(reverse->second, segs, payloads), 0));
  }
}

}  // namespace wiresim::report
