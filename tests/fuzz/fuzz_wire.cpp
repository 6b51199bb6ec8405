/// Fuzzes the wire formats: the input is read as an Ethernet II frame, and
/// also as a bare IPv4 packet and a bare TCP segment. Whatever parses is
/// written back (emit) and parsed again: the second parse must give what
/// the first emit was made from, and a filled checksum must verify.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace {

using namespace wiresim::wire;

void tcp_round_trip(const TcpRepr& first, std::span<const std::uint8_t> payload, Ipv4Address src, Ipv4Address dst) {
  std::vector<std::uint8_t> out(first.header_len() + payload.size());
  first.emit(out);
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(first.header_len()));
  fill_tcp_checksum(out, src, dst);
  if (!tcp_checksum_ok(out, src, dst)) __builtin_trap();
  const auto view = TcpSegmentView::check(out);
  if (!view) __builtin_trap();  // emit wrote a segment check() refuses
  const auto second = TcpRepr::parse(view.value());
  if (!second) __builtin_trap();
  // emit may drop what does not fit (SACK blocks) or normalise the layout
  // once; after that, emit and parse are inverses.
  std::vector<std::uint8_t> again(second.value().header_len());
  second.value().emit(again);
  const auto third_view = TcpSegmentView::check(again);
  if (!third_view) __builtin_trap();
  const auto third = TcpRepr::parse(third_view.value());
  if (!third || !(third.value() == second.value())) __builtin_trap();
  if (view.value().payload().size() != payload.size()) __builtin_trap();
}

void fuzz_tcp(std::span<const std::uint8_t> bytes, Ipv4Address src, Ipv4Address dst) {
  const auto view = TcpSegmentView::check(bytes);
  if (!view) return;
  (void)tcp_checksum_ok(bytes, src, dst);
  const auto repr = TcpRepr::parse(view.value());
  if (!repr) return;
  (void)describe(repr.value(), view.value().payload().size());
  tcp_round_trip(repr.value(), view.value().payload(), src, dst);
}

void fuzz_ipv4(std::span<const std::uint8_t> bytes) {
  const auto view = Ipv4PacketView::check(bytes);
  if (!view) return;
  const Ipv4PacketView& v = view.value();
  (void)v.header_checksum_ok();
  (void)v.options();
  const auto repr = Ipv4Repr::parse(v);
  if (!repr) return;
  const Ipv4Repr& r = repr.value();
  if (r.payload_len != v.payload().size()) __builtin_trap();
  std::vector<std::uint8_t> out(Ipv4Repr::header_len());
  r.emit(out);
  const auto again = Ipv4PacketView::check(std::span<const std::uint8_t>(out).first(Ipv4Repr::header_len()));
  // emit writes the header only; with a payload, total length exceeds it.
  if (r.payload_len == 0) {
    if (!again || !again.value().header_checksum_ok()) __builtin_trap();
    const auto back = Ipv4Repr::parse(again.value());
    if (!back || !(back.value() == r)) __builtin_trap();
  }
  if (r.protocol == kIpProtoTcp) fuzz_tcp(v.payload(), r.src, r.dst);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (const auto eth = EthernetFrameView::check(bytes)) {
    const auto repr = EthernetRepr::parse(eth.value());
    if (repr && eth.value().ethertype() == kEtherTypeIpv4) fuzz_ipv4(eth.value().payload());
  }
  fuzz_ipv4(bytes);
  fuzz_tcp(bytes, Ipv4Address{}, Ipv4Address{});
  return 0;
}
