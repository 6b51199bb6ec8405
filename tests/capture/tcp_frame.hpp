#pragma once
/// Hand-built Ethernet II / IPv4 / TCP frames with correct checksums, so the
/// capture tests can hand tshark real traffic without depending on the wire
/// layer. Header layouts: RFC 791 §3.1 (IPv4), RFC 9293 §3.1 (TCP).

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace wiresim::test {

inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;

struct TcpFrameSpec {
  std::array<std::uint8_t, 4> src_ip{10, 0, 0, 1};
  std::array<std::uint8_t, 4> dst_ip{10, 0, 0, 2};
  std::uint16_t src_port = 40000;
  std::uint16_t dst_port = 7000;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 65535;
  std::uint16_t ip_id = 0;
  std::string_view payload;
};

namespace detail {

inline void put16(std::vector<std::uint8_t>& b, std::size_t off, std::uint32_t v) {
  b[off] = static_cast<std::uint8_t>(v >> 8);
  b[off + 1] = static_cast<std::uint8_t>(v);
}

inline void put32(std::vector<std::uint8_t>& b, std::size_t off, std::uint32_t v) {
  put16(b, off, v >> 16);
  put16(b, off + 2, v & 0xFFFFU);
}

/// One's-complement sum of 16-bit big-endian words (RFC 1071), not folded.
inline std::uint32_t sum16(const std::vector<std::uint8_t>& b, std::size_t off, std::size_t len) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += (std::uint32_t{b[off + i]} << 8) | b[off + i + 1];
  if (len % 2 != 0) sum += std::uint32_t{b[off + len - 1]} << 8;
  return sum;
}

inline std::uint16_t fold(std::uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xFFFFU) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace detail

/// Ethernet 02:00:00:00:00:01 -> 02:00:00:00:00:02 (swapped when the source
/// is 10.0.0.2), IPv4 with DF and TTL 64, a 20-byte TCP header, `payload`.
inline std::vector<std::uint8_t> make_tcp_frame(const TcpFrameSpec& s) {
  constexpr std::size_t kEth = 14;
  constexpr std::size_t kIp = 20;
  constexpr std::size_t kTcp = 20;
  const std::size_t tcp_len = kTcp + s.payload.size();
  std::vector<std::uint8_t> b(kEth + kIp + tcp_len, 0);
  const bool from_second = s.src_ip[3] == 2;
  b[5] = from_second ? 1 : 2;  // dst MAC 02:00:00:00:00:0x
  b[11] = from_second ? 2 : 1;  // src MAC
  b[0] = b[6] = 0x02;
  detail::put16(b, 12, 0x0800);  // EtherType IPv4

  const std::size_t ip = kEth;
  b[ip] = 0x45;  // version 4, IHL 5
  detail::put16(b, ip + 2, static_cast<std::uint32_t>(kIp + tcp_len));
  detail::put16(b, ip + 4, s.ip_id);
  detail::put16(b, ip + 6, 0x4000);  // DF
  b[ip + 8] = 64;                    // TTL
  b[ip + 9] = 6;                     // TCP
  for (std::size_t i = 0; i < 4; ++i) {
    b[ip + 12 + i] = s.src_ip[i];
    b[ip + 16 + i] = s.dst_ip[i];
  }
  detail::put16(b, ip + 10, detail::fold(detail::sum16(b, ip, kIp)));

  const std::size_t tcp = ip + kIp;
  detail::put16(b, tcp, s.src_port);
  detail::put16(b, tcp + 2, s.dst_port);
  detail::put32(b, tcp + 4, s.seq);
  detail::put32(b, tcp + 8, s.ack);
  b[tcp + 12] = 5 << 4;  // data offset: 5 words
  b[tcp + 13] = s.flags;
  detail::put16(b, tcp + 14, s.window);
  for (std::size_t i = 0; i < s.payload.size(); ++i) b[tcp + kTcp + i] = static_cast<std::uint8_t>(s.payload[i]);
  // Pseudo-header (RFC 9293 §3.1): addresses, protocol, TCP length.
  const std::uint32_t pseudo = detail::sum16(b, ip + 12, 8) + 6 + static_cast<std::uint32_t>(tcp_len);
  detail::put16(b, tcp + 16, detail::fold(pseudo + detail::sum16(b, tcp, tcp_len)));
  return b;
}

/// A complete short exchange 10.0.0.1:40000 <-> 10.0.0.2:7000: handshake,
/// "hello" from the client, its ACK. Five frames, no anomalies for tshark.
inline std::vector<std::vector<std::uint8_t>> handshake_and_hello() {
  const auto client = [](std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t id,
                         std::string_view payload = {}) {
    TcpFrameSpec s;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.ip_id = id;
    s.payload = payload;
    return s;
  };
  const auto server = [&](std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t id) {
    TcpFrameSpec s = client(seq, ack, flags, id);
    std::swap(s.src_ip, s.dst_ip);
    std::swap(s.src_port, s.dst_port);
    return s;
  };
  return {
      make_tcp_frame(client(1000, 0, kSyn, 1)),
      make_tcp_frame(server(5000, 1001, kSyn | kAck, 1)),
      make_tcp_frame(client(1001, 5001, kAck, 2)),
      make_tcp_frame(client(1001, 5001, kPsh | kAck, 3, "hello")),
      make_tcp_frame(server(5001, 1006, kAck, 2)),
  };
}

}  // namespace wiresim::test
