#pragma once
/// TCP headers and options (RFC 9293 §3.1; MSS RFC 9293 §3.7.1, window
/// scale and timestamps RFC 7323, SACK RFC 2018).

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>

#include "wiresim/wire/address.hpp"
#include "wiresim/wire/result.hpp"
#include "wiresim/wire/seq_num.hpp"

namespace wiresim::wire {

constexpr std::size_t kTcpHeaderLen = 20;      ///< without options
constexpr std::size_t kTcpMaxOptionsLen = 40;  ///< data offset 15 words

enum TcpFlag : std::uint8_t {
  kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08,
  kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80,
};
/// Flag sets without int promotion: `kSyn | kAck` is a std::uint8_t.
constexpr std::uint8_t operator|(TcpFlag a, TcpFlag b) {
  return static_cast<std::uint8_t>(std::uint8_t{a} | std::uint8_t{b});
}
constexpr std::uint8_t operator|(std::uint8_t a, TcpFlag b) {
  return static_cast<std::uint8_t>(a | std::uint8_t{b});
}

enum class TcpOptionKind : std::uint8_t {
  kEnd = 0, kNop = 1, kMss = 2, kWindowScale = 3, kSackPermitted = 4, kSack = 5, kTimestamps = 8,
};

/// On-wire lengths of the options (kind and length bytes included).
constexpr std::size_t kTcpOptLenMss = 4;
constexpr std::size_t kTcpOptLenWindowScale = 3;
constexpr std::size_t kTcpOptLenSackPermitted = 2;
constexpr std::size_t kTcpOptLenTimestamps = 10;
constexpr std::size_t kTcpOptLenSackBase = 2;   ///< plus 8 per block
constexpr std::size_t kTcpMaxSackBlocks = 4;    ///< 2 + 4 * 8 = 34 <= 40

/// One SACK block: [left, right) of received sequence space (RFC 2018 §3).
struct SackBlock {
  SeqNum left{};
  SeqNum right{};
  bool operator==(const SackBlock&) const = default;
};

/// The timestamps option values (RFC 7323 §3).
struct TcpTimestamps {
  std::uint32_t tsval = 0;
  std::uint32_t tsecr = 0;
  bool operator==(const TcpTimestamps&) const = default;
};

/// Order of the options on the wire, NOP and EOL included (max 40 entries).
/// Unknown option kinds are not recorded.
class TcpOptionLayout {
 public:
  static constexpr std::size_t kCapacity = kTcpMaxOptionsLen;

  constexpr TcpOptionLayout() = default;
  static TcpOptionLayout of(std::initializer_list<TcpOptionKind> kinds);

  /// Appends k; ignored (and asserts in debug) when full.
  void push_back(TcpOptionKind k);
  void clear() { size_ = 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] bool contains(TcpOptionKind k) const;
  /// Precondition: i < size().
  TcpOptionKind operator[](std::size_t i) const { return kinds_[i]; }
  [[nodiscard]] const TcpOptionKind* begin() const { return kinds_.data(); }
  [[nodiscard]] const TcpOptionKind* end() const { return kinds_.data() + size_; }

  /// Equal when the first size() entries are equal.
  bool operator==(const TcpOptionLayout& o) const;

 private:
  std::array<TcpOptionKind, kCapacity> kinds_{};
  std::uint8_t size_ = 0;
};

/// A length-checked view over a TCP segment (header, options, payload).
/// After check() succeeds the options area is well formed and no accessor
/// can fail.
class TcpSegmentView {
 public:
  /// Offsets of the header fields (RFC 9293 §3.1).
  static constexpr std::size_t kSrcPortOffset = 0;
  static constexpr std::size_t kDstPortOffset = 2;
  static constexpr std::size_t kSeqOffset = 4;
  static constexpr std::size_t kAckOffset = 8;
  static constexpr std::size_t kDataOffsetOffset = 12;
  static constexpr std::size_t kFlagsOffset = 13;
  static constexpr std::size_t kWindowOffset = 14;
  static constexpr std::size_t kChecksumOffset = 16;
  static constexpr std::size_t kUrgentOffset = 18;

  /// `segment` is the whole IP payload. Checks size >= 20 (kTruncated),
  /// 5 <= data offset and data offset * 4 <= size (kBadDataOffset), and
  /// walks the options: a length < 2, an option running past the header, or
  /// a length wrong for its kind (MSS 4, WS 3, SACK_PERM 2, TS 10,
  /// SACK 2 + 8n with n >= 1) is kBadOptionLength. Options after EOL are not
  /// examined; unknown kinds with a sane length are skipped.
  static Result<TcpSegmentView> check(std::span<const std::uint8_t> segment);
  /// check() without the options walk: the size and data offset only. For a
  /// receiver that parses at once: TcpRepr::parse_into walks the options
  /// with the same rules and returns the error check() would have.
  static Result<TcpSegmentView> check_header(std::span<const std::uint8_t> segment);

  [[nodiscard]] std::uint16_t src_port() const;
  [[nodiscard]] std::uint16_t dst_port() const;
  [[nodiscard]] SeqNum seq() const;
  [[nodiscard]] SeqNum ack() const;
  /// Header length in bytes (data offset * 4), 20..60.
  [[nodiscard]] std::size_t header_len() const;
  /// TcpFlag bits.
  [[nodiscard]] std::uint8_t flags() const;
  [[nodiscard]] bool has(TcpFlag f) const { return (flags() & f) != 0; }
  /// The raw (unscaled) window field.
  [[nodiscard]] std::uint16_t window() const;
  [[nodiscard]] std::uint16_t checksum() const;
  [[nodiscard]] std::uint16_t urgent() const;

  [[nodiscard]] std::span<const std::uint8_t> options() const {
    return bytes_.subspan(kTcpHeaderLen, header_len() - kTcpHeaderLen);
  }
  [[nodiscard]] std::span<const std::uint8_t> payload() const {
    return bytes_.subspan(header_len());
  }
  /// The whole segment.
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  explicit TcpSegmentView(std::span<const std::uint8_t> b) : bytes_(b) {}
  std::span<const std::uint8_t> bytes_;
};

/// The fields of a TCP header. Options are typed values plus the order in
/// which they appear on the wire.
struct TcpRepr {
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  SeqNum seq{};
  SeqNum ack{};
  std::uint8_t flags = 0;    ///< TcpFlag bits
  std::uint16_t window = 0;  ///< raw header field (unscaled)
  std::uint16_t urgent = 0;
  std::optional<std::uint16_t> mss{};
  std::optional<std::uint8_t> window_scale{};  ///< shift count as sent (not clamped to 14)
  bool sack_permitted = false;
  std::optional<TcpTimestamps> timestamps{};
  std::array<SackBlock, kTcpMaxSackBlocks> sack_blocks{};
  std::uint8_t sack_count = 0;  ///< used entries of sack_blocks, <= 4
  /// Emission order of options. Empty = canonical Linux-like layout
  /// (see canonical_layout()).
  TcpOptionLayout layout{};

  [[nodiscard]] bool has(TcpFlag f) const { return (flags & f) != 0; }
  /// Bytes of options emit() writes, padded to a multiple of 4, <= 40.
  [[nodiscard]] std::size_t options_len() const;
  /// 20 + options_len().
  [[nodiscard]] std::size_t header_len() const { return kTcpHeaderLen + options_len(); }
  /// Never fails for a checked view (Result for symmetry). Fills `layout`
  /// with the order seen; an EOL that is only padding is not recorded.
  /// Repeated options: the last one wins. Unknown kinds are ignored.
  static Result<TcpRepr> parse(const TcpSegmentView& v);
  /// parse() into `out`, which must be default-constructed: the receive
  /// path fills its segment in place instead of copying a TcpRepr twice.
  /// Returns the error, if any: none for a check()ed view; for a
  /// check_header()ed one, check()'s option error (`out` is then partial).
  static std::optional<ParseError> parse_into(const TcpSegmentView& v, TcpRepr& out);
  /// Writes header_len() bytes at the start of out with the checksum field 0.
  /// Precondition: out.size() >= header_len().
  void emit(std::span<std::uint8_t> out) const;

  /// Linux's option order (tcp_options_write) for the values present, with
  /// `sack_count` SACK blocks: MSS; SACK_PERM+TS (or NOP,NOP,TS); NOP,WS;
  /// NOP,NOP,SACK_PERM when TS is absent; NOP,NOP,SACK.
  [[nodiscard]] TcpOptionLayout canonical_layout() const;
  /// The option kinds emit() writes in order, after applying `layout`,
  /// appending missing values and dropping SACK blocks that do not fit.
  [[nodiscard]] TcpOptionLayout wire_layout() const;
  /// How many SACK blocks emit() writes (sack_count minus those that do not fit).
  [[nodiscard]] std::size_t emitted_sack_count() const;

  bool operator==(const TcpRepr&) const = default;
};

/// options_len() of a canonical-layout segment after the handshake that
/// carries timestamps (if `timestamps`) and `sack_blocks` SACK blocks, as
/// many as fit: what a sender needs to size a data segment without
/// building its header.
[[nodiscard]] std::size_t canonical_data_options_len(bool timestamps, std::size_t sack_blocks);

/// Fills the checksum field of `segment` (header + payload) over the IPv4
/// pseudo-header (RFC 9293 §3.1).
void fill_tcp_checksum(std::span<std::uint8_t> segment, Ipv4Address src, Ipv4Address dst);
/// True if the segment's checksum verifies over the IPv4 pseudo-header.
[[nodiscard]] bool tcp_checksum_ok(std::span<const std::uint8_t> segment, Ipv4Address src,
                                   Ipv4Address dst);

/// A tcpdump-like one-liner, e.g.
/// `49152 > 80 [SYN] seq=1000 win=64240 len=0 <mss 1460,nop,wscale 8,nop,nop,sackOK>`.
/// Flags as Wireshark names them, in bit order, joined by ", "; `ack=N`
/// when ACK is set; `urg=N` when URG is set; options in wire order.
[[nodiscard]] std::string describe(const TcpRepr& r, std::size_t payload_len);
/// "SYN, ACK": the names of the set TcpFlag bits in bit order (FIN first,
/// as Wireshark lists them); "" when none is set.
[[nodiscard]] std::string flag_names(std::uint8_t flags);
/// describe(r, 0), for test failure messages.
std::ostream& operator<<(std::ostream& os, const TcpRepr& r);

}  // namespace wiresim::wire
