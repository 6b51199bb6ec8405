#include "wiresim/capture/capture_file.hpp"

namespace wiresim::capture {

std::string_view to_string(CaptureFormat f) { return f == CaptureFormat::kPcap ? "pcap" : "pcapng"; }

std::optional<CaptureFormat> parse_capture_format(std::string_view s) {
  if (s == "pcap") return CaptureFormat::kPcap;
  if (s == "pcapng") return CaptureFormat::kPcapng;
  return std::nullopt;
}

CaptureFile::CaptureFile(std::string path, CaptureFormat format, std::int64_t epoch_ns, std::uint32_t snaplen)
    : path_(std::move(path)), format_(format) {
  if (format_ == CaptureFormat::kPcap) {
    pcap_.emplace(path_, epoch_ns, snaplen);
  } else {
    pcapng_.emplace(path_, epoch_ns);
  }
}

std::uint32_t CaptureFile::add_interface(std::string_view name, std::string_view description) {
  return pcapng_ ? pcapng_->add_interface(name, description) : 0;
}

std::uint64_t CaptureFile::write(std::uint32_t iface, Time t, std::span<const std::uint8_t> frame,
                                 std::string_view comment, Direction dir) {
  if (pcapng_) {
    pcapng_->write(iface, t, frame, comment, dir);
  } else {
    pcap_->write(t, frame);
  }
  return ++frames_;
}

void CaptureFile::close() {
  if (pcap_) pcap_->close();
  if (pcapng_) pcapng_->close();
}

}  // namespace wiresim::capture
