// Files on file-based storages that are not guest disks, as pve-storage lays them out: ISO images
// (`iso/`, in <path>/template/iso), container templates (`vztmpl/`, <path>/template/cache) and disk images
// to import (`import/`, <path>/import). Kept in the runtime state: per storage for shared storages, per
// storage and node for local ones. Downloads are simulated: the "downloaded" bytes are derived from the URL
// (SimulatedBytes), so a test computes the checksum a download must carry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"
#include "sim/pvesim/section_config.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

// One stored file: {"content", "format", "size", "ctime"} (plus "source", the URL it came from).
using StoredFile = nlohmann::json;

// The bytes a simulated download of `url` yields: "pvesim simulated download of <url>\n".
std::string SimulatedBytes(const std::string& url);
// The size a simulated download of `url` reports for `content`: import images are 2 GiB (their virtual size
// too), ISO images 256-767 MiB and templates 96-351 MiB, chosen by the URL's hash.
uint64_t SimulatedSize(const std::string& content, const std::string& url);
// Lower-case hex digest of `bytes` (md5, sha1, sha224, sha256, sha384, sha512); nullopt for other names.
std::optional<std::string> HexDigest(const std::string& algorithm, const std::string& bytes);

// normalize_content_filename: every character outside [a-zA-Z0-9_.-] becomes '_'.
std::string NormalizeContentFilename(const std::string& filename);
// The volume name of `filename` for `content` ("iso/x.iso", "vztmpl/x.tar.zst", "import/x.qcow2"), or the
// parameter error pve-storage raises for a wrong extension.
Result<std::string> ContentVolname(const std::string& content, const std::string& filename);
// The `format` the content list reports: iso, tzst/tgz/txz/tbz2, qcow2/raw/vmdk/ova.
std::string ContentFormat(const std::string& volname);
// The directory a content type lives in on a storage with `path`.
std::string ContentDir(const Section& storage, const std::string& content);

// Caller holds sim.mu(). Files of `storage` as `node` sees them: volname -> StoredFile.
nlohmann::json& StoredFiles(Simulator& sim, const Section& storage, const std::string& node);

// Checks that `storage` exists, is enabled on `node`, has a path and holds `content`; returns its section.
Result<Section> FileStorageFor(Simulator& sim, const std::string& storage, const std::string& node,
                               const std::string& content);

// PVE::Tools::download_file_from_url in a task: wget-like transfer lines, the checksum check, the file
// stored under `volname`. `checksum` empty: not checked.
Status SimulateDownload(Simulator& sim, TaskContext& ctx, const Section& storage, const std::string& node,
                        const std::string& volname, const std::string& url, const std::string& algorithm,
                        const std::string& checksum);

// The size of a volume `storage:import/...` or `storage:iso/...` visible on `node`; nullopt if absent.
std::optional<uint64_t> StoredVolumeSize(Simulator& sim, const std::string& volid, const std::string& node);

}  // namespace pvesim
