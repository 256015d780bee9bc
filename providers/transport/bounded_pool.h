// A pool of at most N reusable objects (the API client's curl handles): Acquire blocks while all are lent
// out, which bounds concurrency; the most recently returned object is lent first, so a sequential caller
// keeps reusing one object (and its kept-alive connection).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace hainfra::transport {

template <typename T>
class BoundedPool {
 public:
  using Factory = std::function<std::unique_ptr<T>()>;

  BoundedPool(int max, Factory make) : max_(max), make_(std::move(make)) {}
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Gives the object back to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(BoundedPool* pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (item_) pool_->Release(std::move(item_));
    }
    T* operator->() const { return item_.get(); }
    T& operator*() const { return *item_; }

   private:
    BoundedPool* pool_;
    std::unique_ptr<T> item_;
  };

  // Blocks until an object is idle or a new one may be made (fewer than `max` exist).
  Lease Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || created_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<T> item = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(item));
    }
    ++created_;
    lock.unlock();
    return Lease(this, make_());
  }

  // How many objects exist (idle or lent).
  int created() const {
    std::lock_guard lock(mu_);
    return created_;
  }

 private:
  void Release(std::unique_ptr<T> item) {
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(item));
    }
    cv_.notify_one();
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<T>> idle_;
  int created_ = 0;
  const int max_;
  Factory make_;
};

}  // namespace hainfra::transport
