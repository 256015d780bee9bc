#include "sim/pvesim/router.h"

#include "sim/pvesim/api_schema.h"

namespace pvesim {

void RouteTable::Add(std::string method, std::string path, unsigned flags, Handler handler) {
  routes_.push_back(std::make_unique<Route>(Route{std::move(method), std::move(path), flags, std::move(handler)}));
}

void RouteTable::Alias(const std::string& method, const std::string& existing, std::string path) {
  for (const auto& r : routes_) {
    if (r->method == method && r->path == existing) {
      Add(method, std::move(path), r->flags, r->handler);
      return;
    }
  }
}

namespace {

// Scores a template against request segments: -1 no match, else the number of literal segments matched
// (more literal = more specific).
int MatchScore(const std::vector<std::string>& tmpl, const std::vector<std::string>& segs,
               std::map<std::string, std::string>* params) {
  // A volume ID may hold slashes ("local:iso/x.iso"): a trailing {volume} takes the rest of the path, as
  // pve-http-server matches it.
  const bool greedy = !tmpl.empty() && tmpl.back() == "{volume}" && segs.size() > tmpl.size();
  if (tmpl.size() != segs.size() && !greedy) return -1;
  int score = 0;
  std::map<std::string, std::string> p;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const std::string& t = tmpl[i];
    if (greedy && i + 1 == tmpl.size()) {
      std::string rest = segs[i];
      for (size_t j = i + 1; j < segs.size(); ++j) rest += "/" + segs[j];
      p["volume"] = rest;
    } else if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
      p[t.substr(1, t.size() - 2)] = segs[i];
    } else if (t == segs[i]) {
      score += 1 << (tmpl.size() - i);  // earlier literal segments weigh more
    } else {
      return -1;
    }
  }
  if (params) *params = std::move(p);
  return score;
}

}  // namespace

RouteTable::Found RouteTable::Find(const std::string& method, const std::string& path, int pve) const {
  Found best;
  int best_score = -1;
  int best_path_score = -1;
  auto segs = SplitPath(path);
  for (const auto& r : routes_) {
    if ((r->flags & kPve8Only) && pve != 8) continue;
    if ((r->flags & kPve9Only) && pve != 9) continue;
    std::map<std::string, std::string> params;
    int score = MatchScore(SplitPath(r->path), segs, &params);
    if (score < 0) continue;
    if (score > best_path_score) best_path_score = score;
    best.path_found = true;
    if (r->method != method || score <= best_score) continue;
    best_score = score;
    best.route = r.get();
    best.path_params = std::move(params);
  }
  // A more specific path without this method does not fall back to a generic one with it.
  if (best.route && best_score < best_path_score) {
    best.route = nullptr;
    best.path_params.clear();
  }
  return best;
}

}  // namespace pvesim
