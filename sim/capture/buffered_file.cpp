#include "wiresim/capture/buffered_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace wiresim::capture {

BufferedFile::BufferedFile(std::string path, std::size_t capacity)
    : path_(std::move(path)), buffer_(capacity == 0 ? 1 : capacity) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) fail("cannot open", errno);
}

BufferedFile::BufferedFile(BufferedFile&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      buffer_(std::move(other.buffer_)),
      used_(std::exchange(other.used_, 0)),
      flushed_(std::exchange(other.flushed_, 0)) {}

BufferedFile::~BufferedFile() {
  try {
    close();
  } catch (const std::runtime_error&) {
    // Destructors must not throw; close() explicitly to see write errors.
  }
}

std::span<std::uint8_t> BufferedFile::append(std::size_t n) {
  if (buffer_.size() - used_ < n) {
    drain();
    if (buffer_.size() < n) buffer_.resize(n);
  }
  const std::span<std::uint8_t> out{buffer_.data() + used_, n};
  used_ += n;
  return out;
}

void BufferedFile::write(std::span<const std::uint8_t> bytes) {
  if (bytes.size() <= buffer_.size() - used_) {
    if (!bytes.empty()) std::memcpy(buffer_.data() + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
    return;
  }
  drain();
  if (bytes.size() < buffer_.size()) {
    std::memcpy(buffer_.data(), bytes.data(), bytes.size());
    used_ = bytes.size();
    return;
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("cannot write", errno);
  flushed_ += bytes.size();
}

void BufferedFile::write_text(std::string_view text) {
  const std::span<std::uint8_t> out = append(text.size());
  if (!text.empty()) std::memcpy(out.data(), text.data(), text.size());
}

void BufferedFile::write_zeros(std::size_t n) {
  const std::span<std::uint8_t> out = append(n);
  std::memset(out.data(), 0, out.size());
}

void BufferedFile::drain() {
  if (used_ == 0) return;
  if (std::fwrite(buffer_.data(), 1, used_, file_) != used_) fail("cannot write", errno);
  flushed_ += used_;
  used_ = 0;
}

void BufferedFile::flush() {
  if (file_ == nullptr) return;
  drain();
  if (std::fflush(file_) != 0) fail("cannot flush", errno);
}

void BufferedFile::close() {
  if (file_ == nullptr) return;
  std::FILE* f = std::exchange(file_, nullptr);
  const char* error = nullptr;
  int err = 0;
  if (used_ != 0 && std::fwrite(buffer_.data(), 1, used_, f) != used_) {
    error = "cannot write";
    err = errno;
  }
  flushed_ += used_;
  used_ = 0;
  if (std::fclose(f) != 0 && error == nullptr) {
    error = "cannot close";
    err = errno;
  }
  if (error != nullptr) fail(error, err);
}

void BufferedFile::fail(const char* what, int err) const {
  // error_code::message() rather than strerror(): thread-safe.
  throw std::runtime_error(std::string(what) + " '" + path_ +
                           "': " + std::error_code(err, std::generic_category()).message());
}

}  // namespace wiresim::capture
