// Cluster consistency as corosync needs it: every node has an address on every link, inside the link's
// network, unique per link; node addresses and ids are unique; the vote count can survive a node failure.
#include <map>
#include <set>

#include "engine/spec/checks.h"
#include "engine/spec/ip_math.h"

namespace hainfra::spec {
namespace {

struct Link {
  int id = 0;
  std::string network;
};

std::vector<Link> ClusterLinks(const Resource* cluster) {
  std::vector<Link> links;
  if (cluster == nullptr) return links;
  const Value& corosync = ObjectAt(cluster->body, "corosync");
  for (const Value& link : ListAt(corosync, "links")) {
    if (link.contains("id") && link["id"].is_number_integer()) {
      links.push_back(Link{link["id"].get<int>(), Str(link, "network")});
    }
  }
  return links;
}

void CheckLinks(CheckContext& ctx, const Resource* cluster, const std::vector<const Resource*>& nodes) {
  const std::vector<Link> links = ClusterLinks(cluster);
  std::set<int> declared;
  for (const Link& l : links) declared.insert(l.id);
  std::map<std::string, const Resource*> used[8];  // per link: address -> node
  for (const Resource* node : nodes) {
    const Value& corosync = ObjectAt(node->body, "corosync");
    for (const Link& link : links) {
      const std::string key = "link" + std::to_string(link.id);
      const std::string pointer = "/corosync/" + key;
      const std::string address = Str(corosync, key.c_str());
      if (address.empty()) {
        ctx.Error(*node, Has(node->body, "corosync") ? "/corosync" : "",
                  "no address for corosync link " + std::to_string(link.id) + " (cluster.corosync.links declares it): "
                  "add corosync." + key);
        continue;
      }
      if (!link.network.empty() && !InNetwork(address, link.network)) {
        ctx.Error(*node, pointer, "corosync " + key + " address " + address + " is outside link " +
                                      std::to_string(link.id) + "'s network " + link.network);
      }
      auto [it, inserted] = used[link.id].emplace(address, node);
      if (!inserted) {
        ctx.Error(*node, pointer, "corosync " + key + " address " + address + " is also used by " +
                                      it->second->address.ToString());
      }
    }
    if (cluster == nullptr || links.empty()) continue;
    for (int id = 0; id <= 7; ++id) {
      const std::string key = "link" + std::to_string(id);
      if (corosync.contains(key) && declared.count(id) == 0) {
        ctx.Error(*node, "/corosync/" + key,
                  "corosync " + key + " is not a link of the cluster (add it to cluster.corosync.links)");
      }
    }
  }
}

void CheckUniqueAddresses(CheckContext& ctx, const std::vector<const Resource*>& nodes) {
  std::map<std::string, const Resource*> addresses;
  std::map<int64_t, const Resource*> ids;
  for (const Resource* node : nodes) {
    const std::string address = Str(node->body, "address");
    if (!address.empty()) {
      auto [it, inserted] = addresses.emplace(address, node);
      if (!inserted) {
        ctx.Error(*node, "/address", "address " + address + " is also used by " + it->second->address.ToString());
      }
    }
    const Value& corosync = ObjectAt(node->body, "corosync");
    if (corosync.contains("nodeid") && corosync["nodeid"].is_number_integer()) {
      auto [it, inserted] = ids.emplace(corosync["nodeid"].get<int64_t>(), node);
      if (!inserted) {
        ctx.Error(*node, "/corosync/nodeid", "corosync nodeid " + corosync["nodeid"].dump() + " is also used by " +
                                                 it->second->address.ToString());
      }
    }
  }
}

// Quorum needs a strict majority of votes: 2 nodes lose it with either node, an even count can split into
// halves. Proxmox recommends a QDevice for even node counts and advises against one for odd counts.
void CheckVotes(CheckContext& ctx, const Resource* cluster, const std::vector<const Resource*>& nodes) {
  if (nodes.size() < 2) return;
  int64_t votes = 0;
  for (const Resource* node : nodes) {
    const Value& corosync = ObjectAt(node->body, "corosync");
    votes += corosync.contains("votes") && corosync["votes"].is_number_integer() ? corosync["votes"].get<int64_t>()
                                                                                  : 1;
  }
  const bool qdevice = cluster != nullptr && ObjectAt(cluster->body, "corosync").contains("qdevice");
  const Resource& at = cluster != nullptr ? *cluster : *nodes.back();
  const std::string pointer = cluster != nullptr && Has(cluster->body, "corosync") ? "/corosync" : "";
  if (!qdevice && nodes.size() == 2 && votes == 2) {
    ctx.Warning(at, pointer,
                "a 2-node cluster loses quorum when either node fails: add cluster.corosync.qdevice");
  } else if (!qdevice && votes % 2 == 0) {
    ctx.Warning(at, pointer, "an even number of votes (" + std::to_string(votes) +
                                 ") can split into two halves without quorum: add cluster.corosync.qdevice");
  } else if (qdevice && votes % 2 == 1) {
    ctx.Warning(at, pointer + "/qdevice", "a QDevice with an odd number of votes (" + std::to_string(votes) +
                                              ") can lower availability: Proxmox recommends it for even counts only");
  }
}

}  // namespace

void CheckCluster(CheckContext& ctx) {
  const std::vector<const Resource*>& clusters = ctx.OfKind("cluster");
  const Resource* cluster = clusters.empty() ? nullptr : clusters.front();
  std::vector<const Resource*> nodes;
  for (const Resource* n : ctx.OfKind("node")) {
    if (!n->absent) nodes.push_back(n);
  }
  CheckLinks(ctx, cluster, nodes);
  CheckUniqueAddresses(ctx, nodes);
  CheckVotes(ctx, cluster, nodes);
}

}  // namespace hainfra::spec
