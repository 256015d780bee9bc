#include "providers/kinds/baseline_objects.h"

namespace hainfra::providers {

std::vector<Resource> BaselineObjects(const Spec& spec, const BaselinePart& part) {
  std::vector<Resource> out;
  for (const Resource* node : spec.OfKind("node")) {
    auto name = node->body.find("baseline");
    if (name == node->body.end() || !name->is_string()) continue;
    const Resource* baseline = spec.Find(Address{"baseline", name->get<std::string>()});
    if (baseline == nullptr || !baseline->body.is_object()) continue;  // the spec checks report the dangling name
    auto section = baseline->body.find(part.key);
    if (section == baseline->body.end() || section->is_null()) continue;

    Resource r;
    r.address = Address{part.kind, node->address.name};
    r.body = part.build(*section);
    r.body["node"] = node->address.name;
    r.body["baseline"] = baseline->address.name;
    r.where = baseline->LocationOf("/" + part.key);
    // The part's fields keep their spec locations under the body's own pointers.
    const std::string prefix = "/" + part.key;
    for (const auto& [pointer, location] : baseline->locations) {
      if (pointer == prefix) {
        r.locations[part.body_prefix.empty() ? "" : part.body_prefix] = location;
      } else if (pointer.starts_with(prefix + "/")) {
        r.locations[part.body_prefix + pointer.substr(prefix.size())] = location;
      }
    }
    r.locations["/node"] = node->LocationOf("/baseline");
    out.push_back(std::move(r));
  }
  return out;
}

std::string BaselineNode(const Value& body) {
  auto it = body.is_object() ? body.find("node") : body.end();
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ByNode DesiredByNode(const std::vector<Resource>& desired) {
  ByNode out;
  for (const Resource& r : desired) {
    out.objects[r.address.name] = &r;
    out.nodes.push_back(r.address.name);
  }
  return out;
}

}  // namespace hainfra::providers
