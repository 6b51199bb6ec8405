#pragma once
/// An output file written through one large in-memory buffer, so that a
/// capture costs a memcpy per record and one fwrite per buffer-full.
/// Shared by the capture writers; it knows nothing of any file format.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wiresim::capture {

class BufferedFile {
 public:
  /// Bytes buffered before a write reaches the file.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 20;

  /// Creates or truncates `path` (fopen "wb"). Throws std::runtime_error
  /// naming the path and the OS error if it cannot be opened.
  explicit BufferedFile(std::string path, std::size_t capacity = kDefaultCapacity);
  /// Flushes and closes; errors at this point are swallowed (call close()
  /// first to see them).
  ~BufferedFile();
  /// Takes over the file and its buffered bytes; `other` is left closed.
  BufferedFile(BufferedFile&& other) noexcept;
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;
  BufferedFile& operator=(BufferedFile&&) = delete;

  /// Reserves `n` bytes at the end of the file and returns them for the
  /// caller to fill completely before the next call. Valid until the next
  /// call on this object. Precondition: is_open().
  [[nodiscard]] std::span<std::uint8_t> append(std::size_t n);
  /// Appends `bytes`; large writes bypass the buffer.
  void write(std::span<const std::uint8_t> bytes);
  /// Writes the characters of `text` (CSV rows, JSON).
  void write_text(std::string_view text);
  /// Appends `n` zero bytes (n < 8; used for 32-bit padding).
  void write_zeros(std::size_t n);
  /// Hands buffered bytes to the OS (fwrite + fflush). Throws std::runtime_error.
  void flush();
  /// Flushes and closes; later calls are no-ops. Throws std::runtime_error.
  void close();

  [[nodiscard]] bool is_open() const { return file_ != nullptr; }
  [[nodiscard]] const std::string& path() const { return path_; }
  /// Bytes appended since the file was opened (buffered or not).
  [[nodiscard]] std::uint64_t bytes_written() const { return flushed_ + used_; }

 private:
  void drain();  ///< fwrite the buffer, without fflush
  /// Throws std::runtime_error("<what> '<path>': <OS message for err>").
  [[noreturn]] void fail(const char* what, int err) const;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<std::uint8_t> buffer_;  ///< size() == capacity
  std::size_t used_ = 0;              ///< bytes of buffer_ holding data
  std::uint64_t flushed_ = 0;         ///< bytes already handed to fwrite
};

}  // namespace wiresim::capture
