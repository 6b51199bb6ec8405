#include "wiresim/capture/pcapng_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "wiresim/capture/little_endian.hpp"
#include "wiresim/capture/unix_time.hpp"

namespace wiresim::capture {
namespace {

// Block types and byte-order magic, draft-ietf-opsawg-pcapng §4.1-4.3.
constexpr std::uint32_t kShbType = 0x0A0D0D0A;
constexpr std::uint32_t kIdbType = 0x00000001;
constexpr std::uint32_t kEpbType = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

// General block structure (§3.1): type, total length, body, total length.
constexpr std::size_t kBlockTypeOff = 0;
constexpr std::size_t kBlockLenOff = 4;
constexpr std::size_t kBlockTrailerLen = 4;

// Section Header Block body (§4.1).
constexpr std::size_t kShbByteOrderOff = 8;
constexpr std::size_t kShbMajorOff = 12;
constexpr std::size_t kShbMinorOff = 14;
constexpr std::size_t kShbSectionLenOff = 16;
constexpr std::size_t kShbOptionsOff = 24;
constexpr std::uint64_t kSectionLenUnknown = ~std::uint64_t{0};

// Interface Description Block body (§4.2).
constexpr std::size_t kIdbLinkTypeOff = 8;
constexpr std::size_t kIdbReservedOff = 10;
constexpr std::size_t kIdbSnapLenOff = 12;
constexpr std::size_t kIdbOptionsOff = 16;
constexpr std::uint16_t kLinkTypeEthernet = 1;
constexpr std::uint8_t kTsresolNanoseconds = 9;  ///< 10^-9 s units

// Enhanced Packet Block body (§4.3).
constexpr std::size_t kEpbInterfaceOff = 8;
constexpr std::size_t kEpbTsHighOff = 12;
constexpr std::size_t kEpbTsLowOff = 16;
constexpr std::size_t kEpbCapturedLenOff = 20;
constexpr std::size_t kEpbOriginalLenOff = 24;
constexpr std::size_t kEpbDataOff = 28;

// Option codes: common (§3.5), SHB (§4.1), IDB (§4.2), EPB (§4.3).
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::size_t kOptionHeaderLen = 4;  ///< code, length
constexpr std::size_t kOptionValueMax = std::numeric_limits<std::uint16_t>::max();

/// `n` rounded up to a multiple of 4: blocks and option values are padded
/// to 32 bits (§3.1, §3.5).
constexpr std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }
/// Bytes an option with an `n`-byte value occupies.
constexpr std::size_t option_len(std::size_t n) { return kOptionHeaderLen + pad4(n); }
/// Bytes of an option list, or 0 if it is empty (then no opt_endofopt).
constexpr std::size_t options_len(std::size_t values_len) {
  return values_len == 0 ? 0 : values_len + kOptionHeaderLen;
}

void check_option_value(std::string_view value, const char* what) {
  if (value.size() > kOptionValueMax) {
    throw std::length_error(std::string("pcapng ") + what + " longer than 65535 bytes");
  }
}

/// Writes options one after another into a block being filled (§3.5).
class OptionWriter {
 public:
  OptionWriter(std::span<std::uint8_t> block, std::size_t off) : block_(block), off_(off) {}

  void put(std::uint16_t code, std::string_view value) { put_raw(code, value.data(), value.size()); }
  void put_u8(std::uint16_t code, std::uint8_t value) { put_raw(code, &value, 1); }
  void put_u32(std::uint16_t code, std::uint32_t value) {
    std::array<std::uint8_t, 4> bytes{};
    write_le32(bytes, 0, value);
    put_raw(code, bytes.data(), bytes.size());
  }
  /// Ends a non-empty option list.
  void end() { put_raw(kOptEndOfOpt, nullptr, 0); }

 private:
  /// Code, length, the `n` value bytes at `value`, zero padding.
  void put_raw(std::uint16_t code, const void* value, std::size_t n) {
    write_le16(block_, off_, code);
    write_le16(block_, off_ + 2, static_cast<std::uint16_t>(n));
    std::uint8_t* out = block_.data() + off_ + kOptionHeaderLen;
    if (n != 0) std::memcpy(out, value, n);
    std::memset(out + n, 0, pad4(n) - n);
    off_ += option_len(n);
  }

  std::span<std::uint8_t> block_;
  std::size_t off_;
};

/// Reserves a block of `len` bytes and writes its type and both lengths.
/// Throws std::length_error if `len` does not fit the 32-bit length field.
std::span<std::uint8_t> begin_block(BufferedFile& file, std::uint32_t type, std::size_t len) {
  if (len > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("pcapng block longer than 4 GiB");
  const std::span<std::uint8_t> b = file.append(len);
  write_le32(b, kBlockTypeOff, type);
  write_le32(b, kBlockLenOff, static_cast<std::uint32_t>(len));
  write_le32(b, len - kBlockTrailerLen, static_cast<std::uint32_t>(len));
  return b;
}

}  // namespace

PcapngWriter::PcapngWriter(std::string path, std::int64_t epoch_ns)
    : file_(std::move(path)), epoch_ns_(epoch_ns) {
  write_section_header();
}

void PcapngWriter::write_section_header() {
  const std::size_t len =
      kShbOptionsOff + options_len(option_len(kUserApplication.size())) + kBlockTrailerLen;
  const std::span<std::uint8_t> b = begin_block(file_, kShbType, len);
  write_le32(b, kShbByteOrderOff, kByteOrderMagic);
  write_le16(b, kShbMajorOff, 1);
  write_le16(b, kShbMinorOff, 0);
  write_le64(b, kShbSectionLenOff, kSectionLenUnknown);
  OptionWriter opts(b, kShbOptionsOff);
  opts.put(kShbUserAppl, kUserApplication);
  opts.end();
}

std::uint32_t PcapngWriter::add_interface(std::string_view name, std::string_view description,
                                          std::uint32_t snaplen) {
  require_open("add_interface");
  check_option_value(name, "interface name");
  check_option_value(description, "interface description");
  std::size_t values = option_len(1);  // if_tsresol
  if (!name.empty()) values += option_len(name.size());
  if (!description.empty()) values += option_len(description.size());
  const std::size_t len = kIdbOptionsOff + options_len(values) + kBlockTrailerLen;

  const std::span<std::uint8_t> b = begin_block(file_, kIdbType, len);
  write_le16(b, kIdbLinkTypeOff, kLinkTypeEthernet);
  write_le16(b, kIdbReservedOff, 0);
  write_le32(b, kIdbSnapLenOff, snaplen);
  OptionWriter opts(b, kIdbOptionsOff);
  if (!name.empty()) opts.put(kIfName, name);
  if (!description.empty()) opts.put(kIfDescription, description);
  opts.put_u8(kIfTsresol, kTsresolNanoseconds);
  opts.end();

  snaplens_.push_back(snaplen);
  return static_cast<std::uint32_t>(snaplens_.size() - 1);
}

void PcapngWriter::write(std::uint32_t iface, Time t, std::span<const std::uint8_t> frame,
                         std::string_view comment, Direction dir) {
  require_open("write");
  if (iface >= snaplens_.size()) {
    throw std::out_of_range("pcapng write to unknown interface " + std::to_string(iface));
  }
  check_option_value(comment, "packet comment");
  if (frame.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("frame longer than 4 GiB");
  }
  const std::uint64_t unix_ns = to_unix_ns(epoch_ns_, t);
  const auto orig_len = static_cast<std::uint32_t>(frame.size());
  const std::uint32_t snaplen = snaplens_[iface];
  const std::uint32_t cap_len = snaplen == 0 ? orig_len : std::min(orig_len, snaplen);

  std::size_t values = 0;
  if (!comment.empty()) values += option_len(comment.size());
  if (dir != Direction::kUnknown) values += option_len(4);
  const std::size_t options_off = kEpbDataOff + pad4(cap_len);
  const std::size_t len = options_off + options_len(values) + kBlockTrailerLen;

  const std::span<std::uint8_t> b = begin_block(file_, kEpbType, len);
  write_le32(b, kEpbInterfaceOff, iface);
  write_le32(b, kEpbTsHighOff, static_cast<std::uint32_t>(unix_ns >> 32));
  write_le32(b, kEpbTsLowOff, static_cast<std::uint32_t>(unix_ns));
  write_le32(b, kEpbCapturedLenOff, cap_len);
  write_le32(b, kEpbOriginalLenOff, orig_len);
  if (cap_len != 0) std::memcpy(b.data() + kEpbDataOff, frame.data(), cap_len);
  std::memset(b.data() + kEpbDataOff + cap_len, 0, options_off - kEpbDataOff - cap_len);
  if (values != 0) {
    OptionWriter opts(b, options_off);
    if (!comment.empty()) opts.put(kOptComment, comment);
    if (dir != Direction::kUnknown) opts.put_u32(kEpbFlags, static_cast<std::uint32_t>(dir));
    opts.end();
  }
  ++packets_;
}

void PcapngWriter::require_open(const char* what) const {
  if (!file_.is_open()) throw std::logic_error(std::string("pcapng ") + what + " after close: " + path());
}

void PcapngWriter::flush() { file_.flush(); }

void PcapngWriter::close() { file_.close(); }

}  // namespace wiresim::capture
