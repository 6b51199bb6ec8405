/// Fuzzes the pcap/pcapng reader on a capture held in memory: a malformed
/// file must raise CaptureFormatError (and nothing else); a file that reads
/// gives frames that keep the reader's own promises.

#include <cstddef>
#include <cstdint>
#include <span>

#include "wiresim/capture/capture_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wiresim::capture;
  try {
    const CaptureContents contents = parse_capture(std::span<const std::uint8_t>(data, size), "fuzz");
    for (const CapturedFrame& f : contents.frames) {
      if (f.bytes.size() > f.orig_len) __builtin_trap();  // documented: size() <= orig_len
      if (contents.format == CaptureFormat::kPcapng && f.interface_id >= contents.interfaces.size()) {
        __builtin_trap();  // a frame naming an interface the file never described
      }
    }
  } catch (const CaptureFormatError&) {
  }
  return 0;
}
