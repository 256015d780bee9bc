// Fuzz builds only (clang 14 with Debian 12's libstdc++ 12): libstdc++'s <expected> needs C++20's
// conditionally trivial special members (P0848), which clang gained in 16, so under clang 14 it declares
// nothing. This header is force-included (-include) by the fuzz build to supply the part of std::expected
// the project uses; with a standard library that has std::expected it adds nothing.
#pragma once

#include <expected>  // defines __cpp_lib_expected where the library has it

#if !defined(__cpp_lib_expected)

#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace std {  // NOLINT: a stand-in for the standard type this standard library lacks

template <class E>
class unexpected {
 public:
  template <class G = E>
    requires(!is_same_v<remove_cvref_t<G>, unexpected> && is_constructible_v<E, G>)
  constexpr explicit unexpected(G&& e) : error_(std::forward<G>(e)) {}

  constexpr const E& error() const& noexcept { return error_; }
  constexpr E& error() & noexcept { return error_; }
  constexpr E&& error() && noexcept { return std::move(error_); }

  template <class G>
  friend constexpr bool operator==(const unexpected& a, const unexpected<G>& b) {
    return a.error() == b.error();
  }

 private:
  E error_;
};

template <class E>
unexpected(E) -> unexpected<E>;

struct unexpect_t {
  explicit unexpect_t() = default;
};
inline constexpr unexpect_t unexpect{};

template <class T, class E>
class expected {
 public:
  using value_type = T;
  using error_type = E;
  using unexpected_type = unexpected<E>;

  constexpr expected()
    requires is_default_constructible_v<T>
      : v_(in_place_index<0>) {}
  constexpr expected(const expected&) = default;
  constexpr expected(expected&&) = default;
  constexpr expected& operator=(const expected&) = default;
  constexpr expected& operator=(expected&&) = default;

  template <class U = T>
    requires(!is_same_v<remove_cvref_t<U>, expected> && !is_same_v<remove_cvref_t<U>, in_place_t> &&
             !is_same_v<remove_cvref_t<U>, unexpect_t> && is_constructible_v<T, U>)
  constexpr expected(U&& v) : v_(in_place_index<0>, std::forward<U>(v)) {}  // NOLINT: implicit as in std

  template <class G>
  constexpr expected(const unexpected<G>& e) : v_(in_place_index<1>, e.error()) {}  // NOLINT
  template <class G>
  constexpr expected(unexpected<G>&& e) : v_(in_place_index<1>, std::move(e).error()) {}  // NOLINT

  template <class... A>
  constexpr explicit expected(in_place_t, A&&... a) : v_(in_place_index<0>, std::forward<A>(a)...) {}
  template <class... A>
  constexpr explicit expected(unexpect_t, A&&... a) : v_(in_place_index<1>, std::forward<A>(a)...) {}

  template <class U, class G>
    requires(!is_same_v<expected<U, G>, expected> && is_constructible_v<T, const U&> &&
             is_constructible_v<E, const G&>)
  constexpr expected(const expected<U, G>& other)  // NOLINT
      : v_(other ? variant<T, E>(in_place_index<0>, *other) : variant<T, E>(in_place_index<1>, other.error())) {}

  constexpr bool has_value() const noexcept { return v_.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  constexpr T& operator*() & { return std::get<0>(v_); }
  constexpr const T& operator*() const& { return std::get<0>(v_); }
  constexpr T&& operator*() && { return std::get<0>(std::move(v_)); }
  constexpr T* operator->() { return &std::get<0>(v_); }
  constexpr const T* operator->() const { return &std::get<0>(v_); }

  constexpr T& value() & { Check(); return std::get<0>(v_); }
  constexpr const T& value() const& { Check(); return std::get<0>(v_); }
  constexpr T&& value() && { Check(); return std::get<0>(std::move(v_)); }

  constexpr E& error() & { return std::get<1>(v_); }
  constexpr const E& error() const& { return std::get<1>(v_); }
  constexpr E&& error() && { return std::get<1>(std::move(v_)); }

  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  constexpr T value_or(U&& fallback) && {
    return has_value() ? std::move(**this) : static_cast<T>(std::forward<U>(fallback));
  }

  template <class... A>
  constexpr T& emplace(A&&... a) {
    v_.template emplace<0>(std::forward<A>(a)...);
    return **this;
  }

 private:
  constexpr void Check() const {
    if (!has_value()) std::abort();  // std throws bad_expected_access; the project never calls value() unchecked
  }
  variant<T, E> v_;
};

template <class E>
class expected<void, E> {
 public:
  using value_type = void;
  using error_type = E;
  using unexpected_type = unexpected<E>;

  constexpr expected() noexcept = default;
  template <class G>
  constexpr expected(const unexpected<G>& e) : error_(in_place, e.error()) {}  // NOLINT
  template <class G>
  constexpr expected(unexpected<G>&& e) : error_(in_place, std::move(e).error()) {}  // NOLINT
  template <class... A>
  constexpr explicit expected(unexpect_t, A&&... a) : error_(in_place, std::forward<A>(a)...) {}
  constexpr explicit expected(in_place_t) noexcept {}

  constexpr bool has_value() const noexcept { return !error_.has_value(); }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr void operator*() const noexcept {}
  constexpr void value() const {
    if (!has_value()) std::abort();
  }
  constexpr void emplace() noexcept { error_.reset(); }

  constexpr E& error() & { return *error_; }
  constexpr const E& error() const& { return *error_; }
  constexpr E&& error() && { return std::move(*error_); }

 private:
  optional<E> error_;
};

}  // namespace std

#endif  // !__cpp_lib_expected
