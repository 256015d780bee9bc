// The resource-kind interface: the few verbs the engine needs from every kind of object.
// A kind translates between the spec's shape and Proxmox's; the engine never sees Proxmox's strings.
#pragma once

#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/field.h"
#include "hainfra/resource.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra {

enum class CommitScope {
  kNone,     // each change takes effect on its own
  kPerNode,  // staged per node; one commit per node after its last change (node network)
  kGlobal,   // staged cluster-wide; one commit after the last change (SDN)
};

struct KindTraits {
  std::string name;       // the address prefix: "vm", "ha_rule", "network"
  int order = 0;          // position in the plan order (brief): lower runs first, deletes run in reverse
  FieldSpec body;         // the shape of desired and observed bodies (diff semantics come from here)
  bool rolling = false;   // node-level: one node at a time, with the health gate between nodes
  CommitScope commit = CommitScope::kNone;
  bool prunable = false;  // objects carry an ownership marker, so pruning the kind is possible
};

// Where a step works: the engine serializes steps on one guest and bounds steps per node.
struct StepScope {
  std::string node;
  std::string guest;
};

class ResourceKind {
 public:
  virtual ~ResourceKind() = default;

  virtual const KindTraits& traits() const = 0;

  // The desired objects of this kind, derived from the spec (pure; most kinds take their section as is).
  virtual std::vector<Resource> Desired(const Spec& spec) const = 0;

  // Every object of this kind in the cluster that matters for `desired` (one pass, as few requests as possible).
  virtual Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) = 0;

  // Every object of this kind in the cluster with its full body, managed or not (`hainfra export`). The
  // default suits kinds whose Observe({}) returns everything; kinds that read only what matters override it.
  virtual Result<std::vector<Observed>> ObserveAll() { return Observe({}); }

  // Brings a body into canonical form so equal values in different Proxmox spellings compare equal (pure).
  // Applied to desired and observed bodies alike before the diff.
  virtual void Normalize(Value& body) const { (void)body; }

  // Kind-specific review of a computed change (pure): mark reboot-only or destructive changes, drop
  // differences the kind must not fight (a guest that HA moved), or refuse: set `FieldChange::refused`
  // to refuse one field (the diagnostic points at its line), or return an error to refuse the object.
  // A `change.reason` set here is a note appended to the plan's summary of the change. A difference the
  // kind must not act on now (a reboot outside its window) is dropped with `change.held` saying what waits and
  // why: the plan shows it as held back, neither a change nor drift.
  virtual Status Review(const Resource& desired, const Observed& observed, Change& change) const {
    (void)desired, (void)observed, (void)change;
    return Ok();
  }

  // What to do by hand to remove an object that the spec omits or marks `state: absent` (pure). Empty (the
  // default): an omitted object is left alone, or deleted under --prune when owned. Non-empty: removing it is
  // never automatic, so the plan always shows it as a destructive delete (it runs only with --allow-destroy)
  // with this text as the note of its summary.
  virtual std::string ByHandRemoval(const Observed& observed) const { (void)observed; return ""; }

  // Scheduling facts about a desired or observed body (pure).
  virtual StepScope Scope(const Value& body) const { (void)body; return {}; }
  virtual std::vector<Address> References(const Value& body) const { (void)body; return {}; }

  // The verbs. `change.after` is the real desired body (secrets included); `change.fields` tells what
  // differs. They may be called concurrently for different objects (never two on one guest at once).
  virtual Status Create(const Change& change) = 0;
  virtual Status Update(const Change& change) = 0;
  virtual Status Delete(const Change& change) = 0;

  // Makes staged changes take effect (CommitScope); `node` is empty for kGlobal.
  virtual Status Commit(const std::string& node) { (void)node; return Ok(); }
};

}  // namespace hainfra
