// Proxmox's spellings of plain values in API answers and parameters, translated both ways: booleans as 0/1
// (or "0"/"1"), integers as numbers or strings, lists as "a,b" strings, HA node priorities as "n1:2,n2",
// and backup retention as the `prune-backups` property string (or the object some answers carry).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra::pve {

// A Proxmox boolean (1/0, "1"/"0", true/false, "yes"/"no", "on"/"off"); nullopt for anything else.
std::optional<bool> BoolOf(const Value& value);

// A flag as Proxmox's network and SDN answers carry it: true for a Proxmox true or any non-zero number.
bool TruthOf(const Value& value);

// A flag of an API answer's object (`quorate`, `online`, `in`, …): Proxmox answers it as 0/1 numbers, "0"/"1"
// strings or booleans depending on the endpoint; a missing or null key is false.
bool FlagOf(const Value& object, const char* key);

// A Proxmox integer (a number or a decimal string); nullopt for anything else.
std::optional<int64_t> IntOf(const Value& value);

// A Proxmox number (integer, float or a decimal string); nullopt for anything else.
std::optional<double> NumberOf(const Value& value);

// The text of a scalar (strings as is, numbers in decimal); empty for null and structured values.
std::string TextOf(const Value& value);

// "a,b; c" -> {"a", "b", "c"}: Proxmox's list separators (comma, semicolon, whitespace), empties dropped.
std::vector<std::string> SplitList(std::string_view text);

// {"a", "b"} -> "a<sep>b".
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ",");

// The strings of a JSON array (other element types are written as text).
std::vector<std::string> StringsOf(const Value& list);

// HA node priorities: "n1:2,n2" -> {n1: 2, n2: 0}. Errors name the entry.
Result<std::map<std::string, int64_t>> ParseNodePriorities(std::string_view text);

// {n1: 2, n2: 0} (a JSON object of integers) -> "n1:2,n2" (sorted by node; priority 0 written bare, as the
// GUI writes it).
std::string FormatNodePriorities(const Value& nodes);

// Backup retention: the `prune-backups` property string ("keep-daily=7,keep-all=0") or the object some
// answers carry ({"keep-daily": "7"}) -> the spec's object ({keep_daily: 7}, keep_all as a boolean).
Result<Value> ParsePrune(const Value& value);

// The spec's retention object -> the `prune-backups` property string, keys in Proxmox's order
// (keep-all, keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly). Empty for {}.
std::string FormatPrune(const Value& prune);

}  // namespace hainfra::pve
