// What happens around a run rather than in it:
//   - the progress hook (RunOptions::progress) is called from the run loop
//     and changes no output byte;
//   - SIGINT, SIGTERM or SIGHUP in the middle of `wiresim run` ends the process by that signal
//     and leaves neither a new output folder nor a temporary one, and a
//     previous output folder at the same path stays as it was;
//   - a run that fails in the middle (a capture write fails: the file-size
//     limit is hit) exits 1 and leaves the same nothing behind.

#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "file_bytes.hpp"
#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/run.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

using namespace wiresim::test;
namespace sc = wiresim::scenario;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

namespace {

/// A child process started without waiting for it; stdout and stderr go to
/// `log`. Killed (SIGKILL) and reaped if the test leaves it running.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const fs::path& log) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
  }
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  void signal(int sig) const { REQUIRE(::kill(pid_, sig) == 0); }
  /// The wait status once the child has ended; fails the test after `limit`.
  int wait(std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      REQUIRE(r >= 0);
      if (r == pid_) {
        pid_ = 0;
        return status;
      }
      if (std::chrono::steady_clock::now() > give_up) FAIL("the child process did not end within the time limit");
      std::this_thread::sleep_for(10ms);
    }
  }

 private:
  pid_t pid_ = 0;
};

/// Entries of `dir` whose names start with `prefix`.
std::vector<std::string> entries_starting_with(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

std::string text_of(const fs::path& file) {
  const std::vector<std::uint8_t> bytes = file_bytes(file.string());
  return {bytes.begin(), bytes.end()};
}

/// A folder standing for the output of an earlier run (committed the way a
/// run commits, so it carries wiresim's manifest and may be replaced).
void make_previous_output(const fs::path& out) {
  sc::OutputDir dir(out);
  std::ofstream(dir.path() / "summary.json") << "{\"previous\": true}\n";
  dir.commit();
}

void check_previous_output_intact(const fs::path& out) {
  CHECK(folder_files(out).size() == 2);  // summary.json and the manifest
  CHECK(text_of(out / "summary.json") == "{\"previous\": true}\n");
  CHECK(fs::is_regular_file(out / sc::OutputDir::kManifestName));
}

/// bulk.yaml made long (10 GB: a minute or more of wall time) and without a
/// capture, so that it is still running when the test interrupts it.
std::vector<std::string> long_run_args(const fs::path& out) {
  return {cli_path().string(), "run",   (source_dir() / "scenarios" / "bulk.yaml").string(),
          "--out",             out.string(), "--quiet", "--set", "apps.bulk.bytes=10GB", "--set", "captures="};
}

}  // namespace

TEST_CASE("the progress hook is called from the run loop and changes no output byte", "[integration][run][progress]") {
  const fs::path file = source_dir() / "scenarios" / "bulk.yaml";
  const sc::LoadOptions load{{"apps.bulk.bytes=2MB", "stop.after=100s"}, std::nullopt};
  const sc::LoadResult loaded = sc::load_scenario_file(file, load);
  REQUIRE(loaded.ok());
  TempDir dir("wiresim-progress");

  std::vector<sc::RunProgress> calls;
  sc::RunOptions options;
  options.seed = loaded.scenario->seed;
  options.quiet = true;
  options.scenario_file = file;
  options.overrides = load.overrides;
  const auto run_into = [&](const fs::path& out) {
    sc::OutputDir dir_out(out);
    REQUIRE(sc::run_scenario(*loaded.scenario, options, dir_out) == 0);
    dir_out.commit();
  };
  run_into(dir.path() / "without");
  options.progress = [&calls](const sc::RunProgress& p) { calls.push_back(p); };
  run_into(dir.path() / "with");

  CHECK(differing_files(dir.path() / "without", dir.path() / "with").empty());
  // Called after slices of the run (2 MB at about 7 Mbit/s: a few seconds
  // of simulated time, tens of slices), then once with `finished`.
  REQUIRE(calls.size() >= 10);
  for (std::size_t i = 0; i + 1 < calls.size(); ++i) {
    INFO("call " << i);
    CHECK_FALSE(calls[i].finished);
    CHECK(calls[i].now <= calls[i + 1].now);
    CHECK(calls[i].events <= calls[i + 1].events);
    CHECK(calls[i].stop == wiresim::Time::zero() + wiresim::Duration::seconds(100));
    CHECK(calls[i].client_apps == 1);
  }
  const sc::RunProgress& last = calls.back();
  CHECK(last.finished);
  CHECK(last.client_apps_done == 1);
  const Json summary = read_summary(dir.path() / "with");
  CHECK(last.events == summary.at("simulation").at("events").get<std::uint64_t>());
  CHECK(wiresim::to_string(last.now) == summary.at("simulation").at("end_time_s").get<std::string>());
}

TEST_CASE("SIGINT, SIGTERM or SIGHUP in the middle of wiresim run leaves no output and no temporary folder",
          "[integration][run][interrupt]") {
  TempDir dir("wiresim-sigint");
  // SIGHUP: the terminal closed or the ssh session dropped (issue 13).
  const int sig = GENERATE(SIGINT, SIGTERM, SIGHUP);
  INFO("signal " << sig);
  const fs::path out = dir.path() / "out";
  const bool previous = GENERATE(false, true);
  INFO((previous ? "with" : "without") << " a previous output folder");
  if (previous) make_previous_output(out);

  Child child(long_run_args(out), dir.path() / "log.txt");
  // The temporary folder appears once the scenario has loaded and the
  // signal handlers are in place; the run starts right after.
  const std::string temp_prefix = ".out.tmp-" + std::to_string(child.pid());
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (entries_starting_with(dir.path(), temp_prefix).empty()) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(5ms);
  }
  std::this_thread::sleep_for(300ms);
  child.signal(sig);
  const int status = child.wait(20s);
  INFO("wiresim said: " << text_of(dir.path() / "log.txt"));

  // Ended by the signal itself, as an interrupted command should (exit 130 in a shell).
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == sig);
  CHECK(text_of(dir.path() / "log.txt").find("wiresim: interrupted;") != std::string::npos);
  CHECK(entries_starting_with(dir.path(), ".out").empty());
  if (previous) {
    check_previous_output_intact(out);
  } else {
    CHECK_FALSE(fs::exists(out));
  }
}

TEST_CASE("a run that fails in the middle (a capture write fails) exits 1 and leaves nothing behind",
          "[integration][run][failure]") {
  TempDir dir("wiresim-fail");
  const fs::path out = dir.path() / "out";
  const bool previous = GENERATE(false, true);
  INFO((previous ? "with" : "without") << " a previous output folder");
  if (previous) make_previous_output(out);

  // A file-size limit of 1 MB (2048 blocks of 512 bytes) with SIGXFSZ
  // ignored: writing past it fails with EFBIG, like a full disk, once the
  // 20 MB transfer's capture has grown that far.
  const std::vector<std::string> argv{"sh",
                                      "-c",
                                      "trap '' XFSZ; ulimit -f 2048 && exec \"$0\" \"$@\"",
                                      cli_path().string(),
                                      "run",
                                      (source_dir() / "scenarios" / "bulk.yaml").string(),
                                      "--out",
                                      out.string(),
                                      "--quiet"};
  const ProcessResult r = run_process(argv, Stderr::kMerge);
  INFO("wiresim said: " << r.output);
  CHECK(r.exit_status == 1);
  CHECK(r.output.find("wiresim: run failed: cannot write") != std::string::npos);
  CHECK(r.output.find("File too large") != std::string::npos);
  CHECK(entries_starting_with(dir.path(), ".out").empty());
  if (previous) {
    check_previous_output_intact(out);
  } else {
    CHECK_FALSE(fs::exists(out));
  }
}
