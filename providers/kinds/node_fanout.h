// Runs one piece of node-level work per node at once (bounded), for kinds that observe every node in one
// pass (apt repositories over the API, packages and sshd over SSH): a plan waits for the slowest node, not
// for the sum of them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::providers {

// fn(node) for every node, at most `parallelism` at a time; results in the order of `nodes`. `fn` must not
// throw (errors are values).
template <typename T>
std::vector<Result<T>> ForEachNode(const std::vector<std::string>& nodes,
                                   const std::function<Result<T>(const std::string&)>& fn, size_t parallelism = 8) {
  std::vector<Result<T>> results(nodes.size(), Result<T>(Fail(Code::kInternal, "not run")));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < nodes.size(); i = next++) results[i] = fn(nodes[i]);
  };
  const size_t threads = std::min(std::max<size_t>(parallelism, 1), nodes.size());
  if (threads <= 1) {
    worker();
    return results;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();
  return results;
}

// Joins per-node results: the values in order, or the first error prefixed with its node's name.
template <typename T>
Result<std::vector<T>> CollectNodes(const std::vector<std::string>& nodes, std::vector<Result<T>> results) {
  std::vector<T> out;
  out.reserve(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i]) return Fail(WithContext(results[i].error(), nodes[i]));
    out.push_back(std::move(*results[i]));
  }
  return out;
}

}  // namespace hainfra::providers
