#include "wiresim/scenario/output_dir.hpp"

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace wiresim::scenario {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempTag = ".tmp-";
constexpr std::string_view kOldTag = ".old-";

/// `.<leaf><tag><pid>` next to `final_path`.
fs::path sibling(const fs::path& final_path, std::string_view tag, long pid) {
  return final_path.parent_path() / ("." + final_path.filename().string() + std::string(tag) + std::to_string(pid));
}

/// The pid in a name `prefix<digits>`, or -1 if the name has another shape.
long pid_in_name(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return -1;
  long pid = 0;
  for (std::size_t i = prefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 100'000'000) return -1;
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

bool process_has_ended(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

/// Swaps the names of two existing paths in one step, if the system can.
bool exchange(const fs::path& a, const fs::path& b) {
#ifdef RENAME_EXCHANGE
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

/// `path` without trailing separators or dots, checked to be usable as an output folder.
fs::path checked_final_path(const fs::path& path) {
  fs::path p = path.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  if (p.empty() || p.filename() == "." || p.filename() == ".." || p == p.root_path()) {
    throw std::invalid_argument("output folder '" + path.string() + "' has no folder name");
  }
  std::error_code ec;
  if (fs::exists(p, ec) && !fs::is_directory(p, ec)) {
    throw std::invalid_argument("output path '" + p.string() + "' exists and is not a folder");
  }
  return p;
}

}  // namespace

OutputDir::OutputDir(const fs::path& final_path) : final_(checked_final_path(final_path)) {
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  const long pid = static_cast<long>(::getpid());
  temp_ = sibling(final_, kTempTag, pid);
  remove_stale_siblings();
  fs::remove_all(temp_);  // left by an earlier process with our pid
  fs::create_directory(temp_);
}

OutputDir::~OutputDir() { discard(); }

void OutputDir::commit() {
  if (committed_ || discarded_) throw std::logic_error("OutputDir::commit: already committed or discarded");
  std::error_code ec;
  if (!fs::exists(final_, ec)) {
    fs::rename(temp_, final_);
  } else if (exchange(temp_, final_)) {
    fs::remove_all(temp_, ec);  // now the previous output
  } else {
    // Two steps: there is a moment without final_, but never a mixed folder.
    const fs::path old = sibling(final_, kOldTag, static_cast<long>(::getpid()));
    fs::remove_all(old);
    fs::rename(final_, old);
    try {
      fs::rename(temp_, final_);
    } catch (const fs::filesystem_error&) {
      fs::rename(old, final_, ec);
      throw;
    }
    fs::remove_all(old, ec);
  }
  committed_ = true;
}

void OutputDir::discard() noexcept {
  if (committed_ || discarded_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
  discarded_ = true;
}

void OutputDir::remove_stale_siblings() const {
  // Only unfinished outputs: a ".old-" folder of a commit that was cut short
  // may be the only copy of the previous output, so it stays. The order
  // entries are visited in does not matter.
  const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  const std::string leaf = "." + final_.filename().string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (process_has_ended(pid_in_name(name, leaf + std::string(kTempTag)))) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace wiresim::scenario
