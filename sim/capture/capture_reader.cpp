#include "wiresim/capture/capture_reader.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <memory>
#include <string_view>
#include <system_error>

#include "wiresim/capture/little_endian.hpp"

namespace wiresim::capture {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

/// `n` rounded up to a multiple of 4 (pcapng §3.1, §3.5).
constexpr std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

/// The bytes of one input, read in one byte order, with error reporting.
class Input {
 public:
  Input(std::span<const std::uint8_t> data, const std::string& source) : data_(data), source_(source) {}

  [[nodiscard]] std::size_t size() const { return data_.size(); }
  [[nodiscard]] std::span<const std::uint8_t> bytes(std::size_t off, std::size_t n) const {
    return data_.subspan(off, n);
  }
  void set_big_endian(bool big) { big_endian_ = big; }

  /// Fields at `off` in the current byte order. Callers check bounds first.
  [[nodiscard]] std::uint16_t u16(std::size_t off) const {
    const std::uint16_t v = read_le16(data_, off);
    return big_endian_ ? static_cast<std::uint16_t>((v >> 8) | (v << 8)) : v;
  }
  [[nodiscard]] std::uint32_t u32(std::size_t off) const {
    const std::uint32_t v = read_le32(data_, off);
    return big_endian_ ? swap32(v) : v;
  }
  [[nodiscard]] std::uint64_t u64(std::size_t off) const {
    const std::uint64_t first = u32(off);
    const std::uint64_t second = u32(off + 4);
    return big_endian_ ? (first << 32) | second : (second << 32) | first;
  }

  /// Throws CaptureFormatError("<source>: offset <off>: <reason>").
  [[noreturn]] void fail(std::size_t off, const std::string& reason) const {
    throw CaptureFormatError(source_ + ": offset " + std::to_string(off) + ": " + reason);
  }

 private:
  static std::uint32_t swap32(std::uint32_t v) {
    return (v >> 24) | ((v >> 8) & 0xFF00U) | ((v << 8) & 0xFF0000U) | (v << 24);
  }

  std::span<const std::uint8_t> data_;
  const std::string& source_;
  bool big_endian_ = false;
};

// ---------------------------------------------------------------- pcap --

// Magic numbers as read little-endian (draft-ietf-opsawg-pcap §4).
constexpr std::uint32_t kPcapMicroLe = 0xA1B2C3D4;
constexpr std::uint32_t kPcapMicroBe = 0xD4C3B2A1;
constexpr std::uint32_t kPcapNanoLe = 0xA1B23C4D;
constexpr std::uint32_t kPcapNanoBe = 0x4D3CB2A1;
constexpr std::uint32_t kPcapngShbType = 0x0A0D0D0A;  // the same in both orders

// File header (§4) and packet record (§5) offsets.
constexpr std::size_t kPcapHeaderLen = 24;
constexpr std::size_t kPcapMajorOff = 4;
constexpr std::size_t kPcapMinorOff = 6;
constexpr std::size_t kPcapSnapLenOff = 16;
constexpr std::size_t kPcapLinkTypeOff = 20;
constexpr std::size_t kRecordHeaderLen = 16;
constexpr std::size_t kRecordSecondsOff = 0;
constexpr std::size_t kRecordFractionOff = 4;
constexpr std::size_t kRecordCapturedLenOff = 8;
constexpr std::size_t kRecordOriginalLenOff = 12;

class PcapParser {
 public:
  PcapParser(Input& in, bool nanoseconds) : in_(in), nanoseconds_(nanoseconds) {}

  CaptureContents parse() {
    contents_.format = CaptureFormat::kPcap;
    parse_header();
    for (std::size_t off = kPcapHeaderLen; off < in_.size();) off = parse_record(off);
    return std::move(contents_);
  }

 private:
  void parse_header() {
    if (in_.size() < kPcapHeaderLen) in_.fail(0, "truncated pcap file header");
    const std::uint16_t major = in_.u16(kPcapMajorOff);
    if (major != 2) {
      in_.fail(kPcapMajorOff, "unsupported pcap version " + std::to_string(major) + "." +
                                  std::to_string(in_.u16(kPcapMinorOff)));
    }
    CapturedInterface iface;
    iface.link_type = static_cast<std::uint16_t>(in_.u32(kPcapLinkTypeOff) & 0xFFFFU);
    iface.snaplen = in_.u32(kPcapSnapLenOff);
    contents_.interfaces.push_back(std::move(iface));
  }

  /// Parses the record at `off`; returns the offset of the next one.
  std::size_t parse_record(std::size_t off) {
    if (in_.size() - off < kRecordHeaderLen) in_.fail(off, "truncated pcap record header");
    const std::uint32_t seconds = in_.u32(off + kRecordSecondsOff);
    const std::uint32_t fraction = in_.u32(off + kRecordFractionOff);
    const std::uint32_t cap_len = in_.u32(off + kRecordCapturedLenOff);
    const std::uint32_t orig_len = in_.u32(off + kRecordOriginalLenOff);
    const std::int64_t units_per_second = nanoseconds_ ? kNsPerSecond : 1'000'000;
    if (fraction >= units_per_second) {
      in_.fail(off + kRecordFractionOff,
               "timestamp fraction " + std::to_string(fraction) + " is not below one second");
    }
    if (cap_len > orig_len) {
      in_.fail(off + kRecordCapturedLenOff, "captured length " + std::to_string(cap_len) +
                                                " exceeds original length " + std::to_string(orig_len));
    }
    const std::size_t data_off = off + kRecordHeaderLen;
    if (cap_len > in_.size() - data_off) {
      in_.fail(data_off, "packet data truncated: " + std::to_string(cap_len) + " bytes announced, " +
                             std::to_string(in_.size() - data_off) + " left");
    }
    CapturedFrame frame;
    frame.timestamp_ns = std::int64_t{seconds} * kNsPerSecond + fraction * (kNsPerSecond / units_per_second);
    const auto data = in_.bytes(data_off, cap_len);
    frame.bytes.assign(data.begin(), data.end());
    frame.orig_len = orig_len;
    contents_.frames.push_back(std::move(frame));
    return data_off + cap_len;
  }

  Input& in_;
  bool nanoseconds_;
  CaptureContents contents_;
};

// -------------------------------------------------------------- pcapng --

// Block types (draft-ietf-opsawg-pcapng §4, §10.1) and byte-order magic.
constexpr std::uint32_t kIdbType = 0x00000001;
constexpr std::uint32_t kObsoletePacketBlockType = 0x00000002;
constexpr std::uint32_t kSpbType = 0x00000003;
constexpr std::uint32_t kEpbType = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t kByteOrderMagicSwapped = 0x4D3C2B1A;

// General block structure (§3.1).
constexpr std::size_t kBlockLenOff = 4;
constexpr std::size_t kMinBlockLen = 12;
constexpr std::size_t kBlockTrailerLen = 4;
// SHB (§4.1), IDB (§4.2), EPB (§4.3) bodies.
constexpr std::size_t kShbByteOrderOff = 8;
constexpr std::size_t kShbMajorOff = 12;
constexpr std::size_t kShbMinorOff = 14;
constexpr std::size_t kShbOptionsOff = 24;
constexpr std::size_t kIdbLinkTypeOff = 8;
constexpr std::size_t kIdbSnapLenOff = 12;
constexpr std::size_t kIdbOptionsOff = 16;
constexpr std::size_t kEpbInterfaceOff = 8;
constexpr std::size_t kEpbTsHighOff = 12;
constexpr std::size_t kEpbTsLowOff = 16;
constexpr std::size_t kEpbCapturedLenOff = 20;
constexpr std::size_t kEpbOriginalLenOff = 24;
constexpr std::size_t kEpbDataOff = 28;

// Option codes (§3.5, §4.2, §4.3).
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kIfTsoffset = 14;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint8_t kDefaultTsresol = 6;  ///< microseconds when if_tsresol is absent
constexpr std::uint32_t kEpbDirectionMask = 0x3;

struct Option {
  std::uint16_t code = 0;
  std::size_t offset = 0;  ///< of the option header
  std::span<const std::uint8_t> value;

  [[nodiscard]] std::string text() const { return {value.begin(), value.end()}; }
};

/// Timestamp conversion of one interface of the current section.
struct SectionInterface {
  std::uint32_t global_id = 0;
  std::uint64_t multiplier = 1;  ///< ns = units * multiplier / divisor + offset
  std::uint64_t divisor = 1;
  std::int64_t offset_ns = 0;  ///< if_tsoffset, in ns
};

class PcapngParser {
 public:
  explicit PcapngParser(Input& in) : in_(in) {}

  CaptureContents parse() {
    contents_.format = CaptureFormat::kPcapng;
    for (std::size_t off = 0; off < in_.size();) off = parse_block(off);
    return std::move(contents_);
  }

 private:
  /// Checks the block framing at `off` (§3.1), dispatches on its type, and
  /// returns the offset of the next block.
  std::size_t parse_block(std::size_t off) {
    const std::size_t left = in_.size() - off;
    if (left < kMinBlockLen)
      in_.fail(off, "truncated block header (" + std::to_string(left) + " bytes left)");
    const std::uint32_t type = read_le32(in_.bytes(off, 4), 0);
    // parse_capture() only comes here if the file starts with an SHB.
    if (type == kPcapngShbType) set_byte_order(off);
    const std::uint32_t len = in_.u32(off + kBlockLenOff);
    if (len < kMinBlockLen || len % 4 != 0 || len > left) {
      in_.fail(off + kBlockLenOff, "bad block length " + std::to_string(len) + " (" + std::to_string(left) +
                                       " bytes left; must be >= 12 and a multiple of 4)");
    }
    if (in_.u32(off + len - kBlockTrailerLen) != len) {
      in_.fail(off + len - kBlockTrailerLen,
               "trailing block length differs from leading length " + std::to_string(len));
    }
    dispatch(in_.u32(off), off, len);
    return off + len;
  }

  void dispatch(std::uint32_t type, std::size_t off, std::size_t len) {
    switch (type) {
      case kPcapngShbType: return parse_shb(off, len);
      case kIdbType: return parse_idb(off, len);
      case kEpbType: return parse_epb(off, len);
      case kSpbType: in_.fail(off, "Simple Packet Blocks are not supported");
      case kObsoletePacketBlockType: in_.fail(off, "obsolete Packet Blocks are not supported");
      default: return;  // other blocks carry no packets (§4.4-4.7, §10.1)
    }
  }

  void set_byte_order(std::size_t off) {
    const std::uint32_t magic = read_le32(in_.bytes(off, kMinBlockLen), kShbByteOrderOff);
    if (magic != kByteOrderMagic && magic != kByteOrderMagicSwapped) {
      in_.fail(off + kShbByteOrderOff, "bad byte-order magic in Section Header Block");
    }
    in_.set_big_endian(magic == kByteOrderMagicSwapped);
  }

  void parse_shb(std::size_t off, std::size_t len) {
    if (len < kShbOptionsOff + kBlockTrailerLen) in_.fail(off, "Section Header Block too short");
    const std::uint16_t major = in_.u16(off + kShbMajorOff);
    if (major != 1) {
      in_.fail(off + kShbMajorOff, "unsupported pcapng version " + std::to_string(major) + "." +
                                       std::to_string(in_.u16(off + kShbMinorOff)));
    }
    (void)parse_options(off + kShbOptionsOff, off + len - kBlockTrailerLen);
    section_.clear();  // interface ids restart in each section (§4.1)
  }

  void parse_idb(std::size_t off, std::size_t len) {
    if (len < kIdbOptionsOff + kBlockTrailerLen) in_.fail(off, "Interface Description Block too short");
    CapturedInterface iface;
    iface.link_type = in_.u16(off + kIdbLinkTypeOff);
    iface.snaplen = in_.u32(off + kIdbSnapLenOff);
    SectionInterface clock;
    clock.global_id = static_cast<std::uint32_t>(contents_.interfaces.size());
    set_resolution(clock, kDefaultTsresol, off);
    for (const Option& o : parse_options(off + kIdbOptionsOff, off + len - kBlockTrailerLen)) {
      if (o.code == kIfName) iface.name = o.text();
      if (o.code == kIfDescription) iface.description = o.text();
      if (o.code == kIfTsresol) set_resolution(clock, fixed_value(o, 1)[0], o.offset);
      if (o.code == kIfTsoffset) set_offset(clock, o);
    }
    contents_.interfaces.push_back(std::move(iface));
    section_.push_back(clock);
  }

  void parse_epb(std::size_t off, std::size_t len) {
    if (len < kEpbDataOff + kBlockTrailerLen) in_.fail(off, "Enhanced Packet Block too short");
    const std::uint32_t iface = in_.u32(off + kEpbInterfaceOff);
    if (iface >= section_.size()) {
      in_.fail(off + kEpbInterfaceOff, "packet names interface " + std::to_string(iface) +
                                           " but the section has " + std::to_string(section_.size()));
    }
    const std::uint32_t cap_len = in_.u32(off + kEpbCapturedLenOff);
    const std::uint32_t orig_len = in_.u32(off + kEpbOriginalLenOff);
    const std::size_t options_off = kEpbDataOff + pad4(cap_len);
    if (options_off > len - kBlockTrailerLen) {
      in_.fail(off + kEpbCapturedLenOff,
               "captured length " + std::to_string(cap_len) + " overruns the block");
    }
    if (cap_len > orig_len) {
      in_.fail(off + kEpbCapturedLenOff, "captured length " + std::to_string(cap_len) +
                                             " exceeds original length " + std::to_string(orig_len));
    }
    CapturedFrame frame;
    frame.interface_id = section_[iface].global_id;
    frame.orig_len = orig_len;
    const std::uint64_t units =
        (std::uint64_t{in_.u32(off + kEpbTsHighOff)} << 32) | in_.u32(off + kEpbTsLowOff);
    frame.timestamp_ns = to_ns(section_[iface], units, off + kEpbTsHighOff);
    const auto data = in_.bytes(off + kEpbDataOff, cap_len);
    frame.bytes.assign(data.begin(), data.end());
    read_epb_options(frame, off + options_off, off + len - kBlockTrailerLen);
    contents_.frames.push_back(std::move(frame));
  }

  void read_epb_options(CapturedFrame& frame, std::size_t begin, std::size_t end) {
    bool have_comment = false;
    for (const Option& o : parse_options(begin, end)) {
      if (o.code == kOptComment && !have_comment) {
        frame.comment = o.text();
        have_comment = true;
      }
      if (o.code == kEpbFlags) {
        const std::uint32_t flags = read_flags(o);
        const std::uint32_t dir = flags & kEpbDirectionMask;
        if (dir == kEpbDirectionMask) in_.fail(o.offset, "epb_flags direction 3 is invalid");
        frame.direction = static_cast<Direction>(dir);
      }
    }
  }

  /// The options between absolute offsets `begin` and `end` (§3.5), up to
  /// opt_endofopt or the end of the block.
  [[nodiscard]] std::vector<Option> parse_options(std::size_t begin, std::size_t end) const {
    std::vector<Option> options;
    for (std::size_t off = begin; off < end;) {
      if (end - off < 4) in_.fail(off, "truncated option header");
      Option o;
      o.code = in_.u16(off);
      o.offset = off;
      const std::uint16_t n = in_.u16(off + 2);
      if (pad4(n) > end - off - 4) {
        in_.fail(off, "option " + std::to_string(o.code) + " of length " + std::to_string(n) +
                          " overruns the block");
      }
      if (o.code == kOptEndOfOpt) break;
      o.value = in_.bytes(off + 4, n);
      options.push_back(o);
      off += 4 + pad4(n);
    }
    return options;
  }

  [[nodiscard]] std::span<const std::uint8_t> fixed_value(const Option& o, std::size_t n) const {
    if (o.value.size() != n) {
      in_.fail(o.offset, "option " + std::to_string(o.code) + " has length " +
                             std::to_string(o.value.size()) + ", expected " + std::to_string(n));
    }
    return o.value;
  }

  [[nodiscard]] std::uint32_t read_flags(const Option& o) const {
    (void)fixed_value(o, 4);
    return in_.u32(o.offset + 4);
  }

  /// if_tsresol (§4.2): bit 7 clear = 10^-value seconds per unit.
  void set_resolution(SectionInterface& clock, std::uint8_t tsresol, std::size_t off) const {
    if ((tsresol & 0x80U) != 0) in_.fail(off, "power-of-two if_tsresol is not supported");
    if (tsresol > 19) in_.fail(off, "if_tsresol 10^-" + std::to_string(tsresol) + " is not supported");
    clock.multiplier = 1;
    clock.divisor = 1;
    for (int e = 9; e > tsresol; --e) clock.multiplier *= 10;
    for (int e = 9; e < tsresol; ++e) clock.divisor *= 10;
  }

  /// if_tsoffset (§4.2): seconds added to every timestamp.
  void set_offset(SectionInterface& clock, const Option& o) const {
    (void)fixed_value(o, 8);
    const auto seconds = static_cast<std::int64_t>(in_.u64(o.offset + 4));
    if (__builtin_mul_overflow(seconds, kNsPerSecond, &clock.offset_ns))
      in_.fail(o.offset, "if_tsoffset out of range");
  }

  [[nodiscard]] std::int64_t to_ns(const SectionInterface& clock, std::uint64_t units,
                                   std::size_t off) const {
    std::uint64_t scaled = 0;
    if (__builtin_mul_overflow(units, clock.multiplier, &scaled)) in_.fail(off, "timestamp out of range");
    scaled /= clock.divisor;
    std::int64_t ns = 0;
    if (scaled > std::uint64_t{std::numeric_limits<std::int64_t>::max()} ||
        __builtin_add_overflow(static_cast<std::int64_t>(scaled), clock.offset_ns, &ns)) {
      in_.fail(off, "timestamp out of range");
    }
    return ns;
  }

  Input& in_;
  std::vector<SectionInterface> section_;  ///< interfaces of the current section, by id
  CaptureContents contents_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::vector<std::uint8_t> read_file_bytes(const std::string& path) {
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  const auto fail = [&path](const char* what) {
    throw std::runtime_error(std::string(what) + " '" + path +
                             "': " + std::error_code(errno, std::generic_category()).message());
  };
  if (!file) fail("cannot open");
  std::vector<std::uint8_t> bytes;
  std::array<std::uint8_t, 65536> chunk{};
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file.get());
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    if (n < chunk.size()) break;
  }
  if (std::ferror(file.get()) != 0) fail("cannot read");
  return bytes;
}

}  // namespace

CaptureContents parse_capture(std::span<const std::uint8_t> bytes, const std::string& source) {
  Input in(bytes, source);
  if (bytes.size() < 4) in.fail(0, "too short for a capture file");
  switch (read_le32(bytes, 0)) {
    case kPcapMicroLe: return PcapParser(in, false).parse();
    case kPcapNanoLe: return PcapParser(in, true).parse();
    case kPcapMicroBe: in.set_big_endian(true); return PcapParser(in, false).parse();
    case kPcapNanoBe: in.set_big_endian(true); return PcapParser(in, true).parse();
    case kPcapngShbType: return PcapngParser(in).parse();
    default: in.fail(0, "not a pcap or pcapng file (unknown magic number)");
  }
}

CaptureContents read_capture_contents(const std::string& path) {
  return parse_capture(read_file_bytes(path), path);
}

std::vector<CapturedFrame> read_capture_file(const std::string& path) {
  return read_capture_contents(path).frames;
}

}  // namespace wiresim::capture
