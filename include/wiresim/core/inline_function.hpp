#pragma once
/// A move-only `void()` callable stored inline in a fixed buffer: scheduling
/// an event never allocates. Callables that do not fit fail to compile.

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace wiresim {

template <std::size_t Capacity>
class InlineFunction {
 public:
  InlineFunction() = default;

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineFunction>>>
  InlineFunction(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= Capacity,
                  "event callable too large for inline storage: capture less (e.g. `this` and an index)");
    static_assert(alignof(Fn) <= alignof(std::max_align_t), "over-aligned event callable");
    static_assert(std::is_nothrow_move_constructible_v<Fn>, "event callables must be nothrow-movable");
    ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
    ops_ = &kOps<Fn>;
  }

  InlineFunction(InlineFunction&& o) noexcept { take(o); }
  InlineFunction& operator=(InlineFunction&& o) noexcept {
    if (this != &o) {
      reset();
      take(o);
    }
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(buf_); }

  void reset() {
    if (ops_ != nullptr) {
      if (!ops_->trivial) ops_->destroy(buf_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    void (*call)(void*);
    void (*move)(void* dst, void* src);  ///< move-construct into dst, destroy src
    void (*destroy)(void*);
    bool trivial;  ///< trivially copyable and destructible: memcpy, no destroy
  };
  template <typename Fn>
  static constexpr Ops kOps = {
      [](void* p) { (*static_cast<Fn*>(p))(); },
      [](void* dst, void* src) {
        ::new (dst) Fn(std::move(*static_cast<Fn*>(src)));
        static_cast<Fn*>(src)->~Fn();
      },
      [](void* p) { static_cast<Fn*>(p)->~Fn(); },
      std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
  };

  void take(InlineFunction& o) {
    if (o.ops_ != nullptr) {
      if (o.ops_->trivial) {
        // The whole buffer, whatever the callable's size: one fixed-size
        // copy. Bytes past the callable are indeterminate, which copying
        // as unsigned char allows ([basic.indet]); g++ cannot see that when
        // it inlines a small lambda's construction next to this copy.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
        std::memcpy(buf_, o.buf_, Capacity);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
      } else {
        o.ops_->move(buf_, o.buf_);
      }
      ops_ = o.ops_;
      o.ops_ = nullptr;
    }
  }

  alignas(std::max_align_t) unsigned char buf_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace wiresim
