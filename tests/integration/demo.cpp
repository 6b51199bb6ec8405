// wiresim_demo OUT_DIR: the foundation demo that scripts/run-default.sh runs
// until scenario files can be run: a scripted lossy transfer written as
// pcap and pcapng captures that Wireshark opens.
#include <cstdio>
#include <filesystem>

#include "scripted_transfer.hpp"

int main(int argc, char** argv) {
  const std::filesystem::path out = argc > 1 ? argv[1] : "output/demo";
  std::filesystem::create_directories(out);
  const auto r = wiresim::test::run_scripted_transfer(out.string(), {});
  std::printf("wiresim demo: %llu segments sent, %llu delivered, %llu dropped on the link (5%% loss each way)\n",
              static_cast<unsigned long long>(r.segments_sent), static_cast<unsigned long long>(r.frames_delivered),
              static_cast<unsigned long long>(r.frames_dropped));
  std::printf("captures: %s/{client,link}.{pcap,pcapng}  (open them in Wireshark)\n", out.string().c_str());
  return 0;
}
