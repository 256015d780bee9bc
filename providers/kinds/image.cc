#include "providers/kinds/image.h"

#include <algorithm>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/text.h"
#include "providers/transport/api_path.h"
#include "schemas/sections.h"

namespace hainfra::providers {
namespace {

using transport::ApiPath;

constexpr std::chrono::hours kImageDownloadTimeout{2};

std::string ImageText(const Value& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return v.is_null() ? "" : v.dump();
}

std::string ContentOf(const Value& body) {
  return body.contains("template") ? "vztmpl" : body.value("content", "");
}

std::string FileOf(const Value& body) {
  if (body.contains("template")) return body.value("template", "");
  if (body.contains("filename")) return body.value("filename", "");
  std::string url = body.value("url", "");
  url = url.substr(0, url.find_first_of("?#"));
  return url.substr(url.rfind('/') + 1);
}

bool WantsAbsent(const Value& body) { return body.value("state", "present") == "absent"; }

std::string ImageJoin(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The volumes a guest of the spec names: a VM's import sources and CD-ROM media, a container's template.
std::vector<std::string> SpecVolumes(const Resource& guest) {
  std::vector<std::string> out;
  const Value& b = guest.body;
  if (b.contains("disks") && b["disks"].is_array()) {
    for (const Value& d : b["disks"]) {
      if (d.is_object() && d.contains("import_from")) out.push_back(ImageText(d["import_from"]));
    }
  }
  if (b.contains("cdrom") && b["cdrom"].is_object()) {
    for (auto it = b["cdrom"].begin(); it != b["cdrom"].end(); ++it) out.push_back(ImageText(it.value()));
  }
  if (b.contains("ostemplate")) out.push_back(ImageText(b["ostemplate"]));
  return out;
}

}  // namespace

std::string ImageVolume(const Value& body) { return schemas::ImageVolume(body); }

ImageKind::ImageKind(KindDeps& deps) : deps_(deps) {
  traits_.name = "image";
  traits_.order = order::kImage;
  traits_.body = SectionBody("image");
}

std::vector<Resource> ImageKind::Desired(const Spec& spec) const {
  std::vector<Resource> out = SectionObjects(spec, "image");
  std::vector<const Resource*> guests = spec.OfKind("vm");
  for (const Resource* ct : spec.OfKind("ct")) guests.push_back(ct);
  for (Resource& r : out) {
    // `state: absent` is a change of the image's state, not a plain delete: the review must see the
    // cluster's guests that still use the file (a delete is never reviewed).
    r.absent = false;
    const std::string volume = ImageVolume(r.body);
    Value users = Value::array();
    for (const Resource* g : guests) {
      if (g->absent) continue;
      auto vols = SpecVolumes(*g);
      if (std::find(vols.begin(), vols.end(), volume) != vols.end()) users.push_back(g->address.ToString());
    }
    r.body["used_in_spec"] = users;
  }
  return out;
}

void ImageKind::Normalize(Value& body) const {
  if (body.is_object() && !body.contains("state")) body["state"] = "present";
}

Result<ImageKind::Where> ImageKind::Placement(const Value& body, Reads* reads) {
  const std::string storage = body.value("storage", "");
  Result<Value> cfg = Value();
  if (reads != nullptr && reads->storages.contains(storage)) {
    cfg = reads->storages.at(storage);
  } else {
    cfg = deps_.api->Get(ApiPath({"storage", storage}));
    if (!cfg) return Fail(WithContext(cfg.error(), "reading storage " + storage));
    if (reads != nullptr) reads->storages[storage] = *cfg;
  }
  static const std::set<std::string> kShared = {"nfs", "cifs", "cephfs", "glusterfs", "rbd", "pbs", "iscsi"};
  Where w;
  w.shared = kShared.contains(cfg->value("type", "")) || ImageText(cfg->value("shared", Value(0))) == "1";
  std::set<std::string> enabled_on;
  std::string listed = ImageText(cfg->value("nodes", Value("")));
  for (size_t pos = 0; pos < listed.size();) {
    size_t comma = listed.find(',', pos);
    if (comma == std::string::npos) comma = listed.size();
    if (comma > pos) enabled_on.insert(listed.substr(pos, comma - pos));
    pos = comma + 1;
  }
  Result<Value> nodes = Value();
  if (reads != nullptr && !reads->nodes.is_null()) {
    nodes = reads->nodes;
  } else {
    nodes = deps_.api->Get("/nodes");
    if (!nodes) return Fail(WithContext(nodes.error(), "listing nodes"));
    if (reads != nullptr) reads->nodes = *nodes;
  }
  std::vector<std::string> online;
  for (const Value& n : *nodes) {
    const std::string name = n.value("node", "");
    if (n.value("status", "") == "online" && (enabled_on.empty() || enabled_on.contains(name))) online.push_back(name);
  }
  std::sort(online.begin(), online.end());
  if (online.empty()) return Fail(Code::kUnavailable, "no online node has storage " + storage);
  if (w.shared) {
    w.nodes = {online.front()};
  } else if (body.contains("nodes") && body["nodes"].is_array()) {
    for (const Value& n : body["nodes"]) w.nodes.push_back(ImageText(n));
    std::sort(w.nodes.begin(), w.nodes.end());
  } else {
    w.nodes = online;
  }
  return w;
}

Result<std::set<std::string>> ImageKind::Listing(const std::string& node, const std::string& storage,
                                                 const std::string& content) {
  auto list = deps_.api->Get(ApiPath({"nodes", node, "storage", storage, "content"}), {{"content", content}});
  if (!list) return Fail(WithContext(list.error(), "listing " + content + " on " + storage + " of " + node));
  std::set<std::string> out;
  for (const Value& e : *list) out.insert(e.value("volid", ""));
  return out;
}

Result<std::vector<std::string>> ImageKind::GuestsUsing(const std::string& volume, const std::vector<std::string>& nodes) {
  auto list = deps_.api->Get("/cluster/resources", Value{{"type", "vm"}});
  if (!list) return Fail(WithContext(list.error(), "listing guests"));
  std::vector<std::string> users;
  for (const Value& e : *list) {
    const std::string node = e.value("node", ""), type = e.value("type", "");
    if (type != "qemu" || std::find(nodes.begin(), nodes.end(), node) == nodes.end()) continue;
    const std::string vmid = ImageText(e.value("vmid", Value()));
    auto config = deps_.api->Get(ApiPath({"nodes", node, "qemu", vmid, "config"}));
    if (!config) continue;  // gone meanwhile
    for (auto it = config->begin(); it != config->end(); ++it) {
      const std::string value = ImageText(it.value());
      if (value == volume || value.starts_with(volume + ",")) {
        users.push_back("vm/" + vmid);
        break;
      }
    }
  }
  return users;
}

Result<std::vector<Observed>> ImageKind::Observe(const std::vector<Resource>& desired) {
  std::vector<Observed> out;
  Reads reads;  // one /storage/{id} per storage and one /nodes for the whole pass
  for (const Resource& r : desired) {
    const Value& body = r.body;
    auto where = Placement(body, &reads);
    if (!where) return Fail(WithContext(where.error(), r.address.ToString()));
    const std::string volume = ImageVolume(body);
    std::vector<std::string> have, missing;
    for (const std::string& node : where->nodes) {
      auto list = Listing(node, body.value("storage", ""), ContentOf(body));
      if (!list) return Fail(WithContext(list.error(), r.address.ToString()));
      (list->contains(volume) ? have : missing).push_back(node);
    }
    Observed o;
    o.address = r.address;
    o.body = body;  // what cannot be read back (url, checksum) is what the spec says
    o.body.erase("used_in_spec");
    o.body["volume"] = volume;
    o.body["on_nodes"] = have;
    o.body["missing_on"] = missing;
    if (WantsAbsent(body)) {
      o.body["state"] = have.empty() ? "absent" : "present";
      if (!have.empty()) {
        // Every node may run a guest of a shared storage's file; a local file only the nodes holding it.
        auto users = GuestsUsing(volume, where->shared ? std::vector<std::string>{} : have);
        if (where->shared) {
          auto all = deps_.api->Get("/nodes");
          std::vector<std::string> names;
          if (all) {
            for (const Value& n : *all) names.push_back(n.value("node", ""));
          }
          users = GuestsUsing(volume, names);
        }
        if (!users) return Fail(WithContext(users.error(), r.address.ToString()));
        o.body["used_by"] = *users;
      }
    } else {
      if (have.empty()) continue;  // nowhere yet: a create
      o.body["state"] = missing.empty() ? "present" : "absent";
    }
    o.version = plan::Fingerprint(o.body);
    out.push_back(std::move(o));
  }
  return out;
}

Status ImageKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  const Value& ob = observed.body;
  for (FieldChange& f : change.fields) {
    if (f.path != "state") continue;
    if (f.after == Value("absent")) {
      std::vector<std::string> users;
      for (const Value& u : desired.body.value("used_in_spec", Value::array())) users.push_back(ImageText(u));
      for (const Value& u : ob.value("used_by", Value::array())) {
        if (std::find(users.begin(), users.end(), ImageText(u)) == users.end()) users.push_back(ImageText(u));
      }
      if (!users.empty()) {
        f.refused = ob.value("volume", "") + " is still used by " + ImageJoin(users) +
                    "; remove it from the guests first (an image a guest uses is never removed)";
      }
      change.destructive = true;
      change.reason = "deletes " + ob.value("volume", "");
    } else {
      std::vector<std::string> missing;
      for (const Value& n : ob.value("missing_on", Value::array())) missing.push_back(ImageText(n));
      change.reason = "downloads " + ob.value("volume", "") + " to " + ImageJoin(missing);
    }
  }
  return Ok();
}

std::vector<Address> ImageKind::References(const Value& body) const {
  std::vector<Address> refs;
  if (body.contains("storage")) refs.push_back({"storage", body.value("storage", "")});
  if (body.contains("nodes") && body["nodes"].is_array()) {
    for (const Value& n : body["nodes"]) refs.push_back({"node", ImageText(n)});
  }
  return refs;
}

Status ImageKind::Download(const Value& body, const std::string& node) {
  const std::string storage = body.value("storage", ""), file = FileOf(body);
  const std::string what = "downloading " + file + " to " + storage + " on " + node;
  Result<Value> started = Fail(Code::kInternal, "");
  if (body.contains("template")) {
    started = deps_.api->Post(ApiPath({"nodes", node, "aplinfo"}), {{"storage", storage}, {"template", file}});
  } else {
    const std::string checksum = body.value("checksum", "");
    const size_t colon = checksum.find(':');
    Value params = {{"content", ContentOf(body)}, {"filename", file}, {"url", body.value("url", "")}};
    if (colon != std::string::npos) {
      params["checksum-algorithm"] = checksum.substr(0, colon);
      params["checksum"] = pve::Lower(checksum.substr(colon + 1));
    }
    started = deps_.api->Post(ApiPath({"nodes", node, "storage", storage, "download-url"}), params);
  }
  if (!started) return Fail(WithContext(started.error(), what));
  if (!started->is_string()) return Ok();
  const std::string prefix = "image " + file + " on " + node + ": ";
  transport::ApiClient* api = deps_.api;
  auto task = api->WaitTask(started->get<std::string>(), kImageDownloadTimeout, [api, prefix](std::string_view line) {
    api->Log(transport::LogLevel::kProgress, prefix + std::string(pve::TrimBlanks(line)));
  });
  if (!task) return Fail(WithContext(task.error(), what));
  return Ok();
}

Status ImageKind::Converge(const Change& change) {
  const Value& want = change.after;
  const std::string volume = ImageVolume(want);
  auto where = Placement(want);
  if (!where) return Fail(WithContext(where.error(), change.address.ToString()));
  for (const std::string& node : where->nodes) {
    auto list = Listing(node, want.value("storage", ""), ContentOf(want));
    if (!list) return Fail(WithContext(list.error(), change.address.ToString()));
    const bool present = list->contains(volume);
    if (WantsAbsent(want) && present) {
      auto removed = deps_.api->Delete(ApiPath({"nodes", node, "storage", want.value("storage", ""), "content", volume}));
      if (!removed) return Fail(WithContext(removed.error(), change.address.ToString() + ": deleting " + volume + " on " + node));
      if (removed->is_string() && removed->get<std::string>().starts_with("UPID:")) {
        auto task = deps_.api->WaitTask(removed->get<std::string>(), std::chrono::minutes(10));
        if (!task) return Fail(WithContext(task.error(), change.address.ToString() + ": deleting " + volume + " on " + node));
      }
    } else if (!WantsAbsent(want) && !present) {
      if (Status s = Download(want, node); !s) return Fail(WithContext(s.error(), change.address.ToString()));
    }
  }
  return Ok();
}

Status ImageKind::Create(const Change& change) { return Converge(change); }
Status ImageKind::Update(const Change& change) { return Converge(change); }

Status ImageKind::Delete(const Change& change) {
  Change removal = change;
  removal.after = change.before;
  removal.after["state"] = "absent";
  return Converge(removal);
}

}  // namespace hainfra::providers
