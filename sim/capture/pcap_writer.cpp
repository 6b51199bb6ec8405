#include "wiresim/capture/pcap_writer.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#include "wiresim/capture/little_endian.hpp"
#include "wiresim/capture/unix_time.hpp"

namespace wiresim::capture {
namespace {

// File header, draft-ietf-opsawg-pcap §4.
constexpr std::uint32_t kMagicNanoseconds = 0xA1B23C4D;
constexpr std::uint16_t kVersionMajor = 2;
constexpr std::uint16_t kVersionMinor = 4;
constexpr std::size_t kFileHeaderLen = 24;
constexpr std::size_t kMagicOff = 0;
constexpr std::size_t kVersionMajorOff = 4;
constexpr std::size_t kVersionMinorOff = 6;
constexpr std::size_t kReserved1Off = 8;
constexpr std::size_t kReserved2Off = 12;
constexpr std::size_t kSnapLenOff = 16;
constexpr std::size_t kLinkTypeOff = 20;

// Packet record header, draft-ietf-opsawg-pcap §5.
constexpr std::size_t kRecordHeaderLen = 16;
constexpr std::size_t kTsSecondsOff = 0;
constexpr std::size_t kTsNanosecondsOff = 4;
constexpr std::size_t kCapturedLenOff = 8;
constexpr std::size_t kOriginalLenOff = 12;

constexpr std::uint64_t kNsPerSecond = 1'000'000'000;

}  // namespace

PcapWriter::PcapWriter(std::string path, std::int64_t epoch_ns, std::uint32_t snaplen)
    : file_(std::move(path)), epoch_ns_(epoch_ns), snaplen_(snaplen) {
  if (snaplen_ == 0) throw std::invalid_argument("pcap snaplen must be > 0");
  write_file_header();
}

void PcapWriter::write_file_header() {
  const std::span<std::uint8_t> h = file_.append(kFileHeaderLen);
  write_le32(h, kMagicOff, kMagicNanoseconds);
  write_le16(h, kVersionMajorOff, kVersionMajor);
  write_le16(h, kVersionMinorOff, kVersionMinor);
  write_le32(h, kReserved1Off, 0);
  write_le32(h, kReserved2Off, 0);
  write_le32(h, kSnapLenOff, snaplen_);
  write_le32(h, kLinkTypeOff, kLinkTypeEthernet);  // FCS bits (§4, LinkType) zero
}

void PcapWriter::write(Time t, std::span<const std::uint8_t> frame) {
  if (!file_.is_open()) throw std::logic_error("pcap write after close: " + path());
  if (frame.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("frame longer than 4 GiB");
  }
  const std::uint64_t unix_ns = to_unix_ns(epoch_ns_, t);
  const std::uint64_t seconds = unix_ns / kNsPerSecond;
  if (seconds > std::numeric_limits<std::uint32_t>::max()) {
    throw std::out_of_range("pcap timestamp past 2106 (32-bit seconds)");
  }
  const auto orig_len = static_cast<std::uint32_t>(frame.size());
  const std::uint32_t cap_len = std::min(orig_len, snaplen_);

  const std::span<std::uint8_t> r = file_.append(kRecordHeaderLen + cap_len);
  write_le32(r, kTsSecondsOff, static_cast<std::uint32_t>(seconds));
  write_le32(r, kTsNanosecondsOff, static_cast<std::uint32_t>(unix_ns % kNsPerSecond));
  write_le32(r, kCapturedLenOff, cap_len);
  write_le32(r, kOriginalLenOff, orig_len);
  if (cap_len != 0) std::memcpy(r.data() + kRecordHeaderLen, frame.data(), cap_len);
  ++packets_;
}

void PcapWriter::flush() { file_.flush(); }

void PcapWriter::close() { file_.close(); }

}  // namespace wiresim::capture
