#include "wiresim/wire/ethernet.hpp"

#include <cassert>
#include <ostream>

#include <fmt/format.h>

#include "wiresim/wire/bytes.hpp"

namespace wiresim::wire {

Result<EthernetFrameView> EthernetFrameView::check(std::span<const std::uint8_t> frame) {
  if (frame.size() < kEthernetHeaderLen) return ParseError::kTruncated;
  return EthernetFrameView{frame};
}

MacAddress EthernetFrameView::dst() const {
  return MacAddress::from_bytes(bytes_.subspan(kDstOffset));
}
MacAddress EthernetFrameView::src() const {
  return MacAddress::from_bytes(bytes_.subspan(kSrcOffset));
}
std::uint16_t EthernetFrameView::ethertype() const { return read_u16(bytes_, kEtherTypeOffset); }

Result<EthernetRepr> EthernetRepr::parse(const EthernetFrameView& v) {
  return EthernetRepr{.dst = v.dst(), .src = v.src(), .ethertype = v.ethertype()};
}

void EthernetRepr::emit(std::span<std::uint8_t> out) const {
  assert(out.size() >= kEthernetHeaderLen);
  dst.write(out.subspan(EthernetFrameView::kDstOffset));
  src.write(out.subspan(EthernetFrameView::kSrcOffset));
  write_u16(out, EthernetFrameView::kEtherTypeOffset, ethertype);
}

std::ostream& operator<<(std::ostream& os, const EthernetRepr& r) {
  return os << fmt::format("{} > {} type {:#06x}", r.src.to_string(), r.dst.to_string(),
                           r.ethertype);
}

}  // namespace wiresim::wire
