#pragma once
/// An output folder that appears atomically (DESIGN.md: outputs are atomic).
///
/// A run writes into a temporary sibling of the final folder,
/// `<parent>/.<leaf>.tmp-<pid>`, and commit() moves it into place, replacing
/// a previous output. Until then the previous output is untouched; if the
/// object is destroyed without commit() (failure, exception, interruption),
/// the temporary folder is removed.

#include <filesystem>

namespace wiresim::scenario {

class OutputDir {
 public:
  /// Prepares to produce `final_path`: creates its parent folders and an
  /// empty temporary folder next to it (removing one left by a process that
  /// no longer exists). Throws std::filesystem::filesystem_error on failure,
  /// and std::invalid_argument if `final_path` has no folder name or exists
  /// and is not a folder.
  explicit OutputDir(const std::filesystem::path& final_path);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  /// The temporary folder to write into (until commit()).
  [[nodiscard]] const std::filesystem::path& path() const { return temp_; }
  /// Where the output appears on commit().
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }
  [[nodiscard]] bool committed() const { return committed_; }

  /// Moves the temporary folder to final_path(), replacing what was there
  /// (atomically where the file system supports exchanging two names).
  /// Throws std::filesystem::filesystem_error on failure, in which case the
  /// previous output is still in place. Calling it twice is an error
  /// (std::logic_error).
  void commit();
  /// Removes the temporary folder now; the object is then spent. Idempotent.
  void discard() noexcept;

 private:
  /// Removes `.<leaf>.tmp-<pid>` siblings whose process has ended (killed
  /// before it could clean up).
  void remove_stale_siblings() const;

  std::filesystem::path final_;
  std::filesystem::path temp_;
  bool committed_ = false;
  bool discarded_ = false;
};

}  // namespace wiresim::scenario
