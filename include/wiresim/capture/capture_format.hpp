#pragma once
/// The two capture file formats, shared by the writer (capture_file.hpp) and
/// the reader (capture_reader.hpp): one definition for both.

namespace wiresim::capture {

enum class CaptureFormat { kPcap, kPcapng };

}  // namespace wiresim::capture
