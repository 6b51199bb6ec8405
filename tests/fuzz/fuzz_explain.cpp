/// Fuzzes the whole `wiresim explain` path on a capture: read the file
/// (pcap or pcapng), pick out the TCP segments, group them into streams and
/// ladders, and render each as text (folded and in full), SVG and HTML,
/// plus the compare report's time-sequence graph.
///
/// The input is the capture file. It is written to one file in a private
/// temporary folder (the reader takes a path), which is the only file the
/// target writes or reads; the folder has no summary.json or
/// tcp-states.csv, so ladders are built from the capture alone.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "fuzz_support.hpp"
#include "wiresim/report/explain.hpp"
#include "wiresim/report/run_folder.hpp"

namespace {

using namespace wiresim::report;

const wiresim::fuzz::PrivateTempDir& folder() {
  static const wiresim::fuzz::PrivateTempDir dir;
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  RunFolder run;
  run.dir = folder().path();
  run.scenario = "fuzz";
  run.captures.push_back(RunFolder::Capture{"capture", "", "capture.pcapng"});
  {
    std::ofstream out(run.dir / "capture.pcapng", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();
  }
  try {
    const std::vector<Ladder> ladders = build_ladders(run, run.captures.front());
    for (const Ladder& l : ladders) {
      (void)ladder_text(l, false);
      (void)ladder_text(l, true);
      (void)ladder_svg(l);
    }
    (void)ladders_html("fuzz: TCP in capture.pcapng", ladders);
    (void)busiest_time_sequence(run, run.captures.front());
  } catch (const std::runtime_error&) {
    // A malformed capture (CaptureFormatError is a runtime_error): `explain` reports it, exit 2.
  }
  return 0;
}
