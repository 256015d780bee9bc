#include "sim/pvesim/storage_content.h"

#include <openssl/evp.h>

#include <ctime>
#include <regex>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

uint64_t UrlHash(const std::string& url) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : url) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string WgetStamp() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string HumanMiB(uint64_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + "M"; }

bool HasContentType(const Section& s, const std::string& content) {
  std::string list = s.values.contains("content") ? ScalarText(s.values["content"]) : DefaultContent(s.type);
  for (const auto& c : SplitList(list))
    if (c == content) return true;
  return false;
}

}  // namespace

std::string SimulatedBytes(const std::string& url) { return "pvesim simulated download of " + url + "\n"; }

uint64_t SimulatedSize(const std::string& content, const std::string& url) {
  const uint64_t h = UrlHash(url);
  if (content == "import") return 2ull << 30;
  if (content == "iso") return (256ull + h % 512) << 20;
  return (96ull + h % 256) << 20;
}

std::optional<std::string> HexDigest(const std::string& algorithm, const std::string& bytes) {
  const EVP_MD* md = algorithm == "md5"      ? EVP_md5()
                     : algorithm == "sha1"   ? EVP_sha1()
                     : algorithm == "sha224" ? EVP_sha224()
                     : algorithm == "sha256" ? EVP_sha256()
                     : algorithm == "sha384" ? EVP_sha384()
                     : algorithm == "sha512" ? EVP_sha512()
                                             : nullptr;
  if (md == nullptr) return std::nullopt;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return std::nullopt;
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

std::string NormalizeContentFilename(const std::string& filename) {
  std::string out = filename;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') c = '_';
  return out;
}

Result<std::string> ContentVolname(const std::string& content, const std::string& filename) {
  static const std::regex iso("^[^/]+\\.(iso|img)$", std::regex::icase);
  static const std::regex vztmpl("^[^/]+\\.tar\\.(gz|xz|zst|bz2)$", std::regex::icase);
  static const std::regex import("^[-a-zA-Z0-9_.+=]+\\.(ova|qcow2|raw|vmdk)$");
  if (content == "iso") {
    if (!std::regex_match(filename, iso)) return ParamError("filename", "wrong file extension");
    return "iso/" + filename;
  }
  if (content == "vztmpl") {
    if (!std::regex_match(filename, vztmpl)) return ParamError("filename", "wrong file extension");
    return "vztmpl/" + filename;
  }
  if (content == "import") {
    if (!std::regex_match(filename, import)) return ParamError("filename", "invalid filename or wrong extension");
    return "import/" + filename;
  }
  return ParamError("content", "value '" + content + "' does not have a value in the enumeration 'iso, vztmpl, import'");
}

std::string ContentFormat(const std::string& volname) {
  if (volname.starts_with("iso/")) return "iso";
  static const std::regex tmpl("\\.tar\\.(gz|xz|zst|bz2)$", std::regex::icase);
  std::smatch m;
  if (volname.starts_with("vztmpl/") && std::regex_search(volname, m, tmpl)) return "t" + m[1].str();
  auto dot = volname.rfind('.');
  return dot == std::string::npos ? "raw" : volname.substr(dot + 1);
}

std::string ContentDir(const Section& storage, const std::string& content) {
  std::string path = ScalarText(storage.values.value("path", nlohmann::json("")));
  if (content == "iso") return path + "/template/iso";
  if (content == "vztmpl") return path + "/template/cache";
  return path + "/" + content;
}

nlohmann::json& StoredFiles(Simulator& sim, const Section& storage, const std::string& node) {
  const std::string key = StorageIsShared(storage) ? storage.id : storage.id + "@" + node;
  nlohmann::json& all = sim.runtime().files;
  if (!all.contains(key)) all[key] = nlohmann::json::object();
  return all[key];
}

Result<Section> FileStorageFor(Simulator& sim, const std::string& storage, const std::string& node,
                               const std::string& content) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(storage);
  if (!s) return Die("storage '" + storage + "' does not exist");
  if (!StorageEnabledOn(*s, node)) return Die("storage '" + storage + "' is not available on node '" + node + "'");
  if (!HasContentType(*s, content)) return Die("storage '" + storage + "' is not configured for content-type '" + content + "'");
  if (!s->values.contains("path") && s->type != "cephfs") return Die("storage definition has no path");
  Section out = *s;
  if (!out.values.contains("path")) out.values["path"] = "/mnt/pve/" + out.id;
  return out;
}

Status SimulateDownload(Simulator& sim, TaskContext& ctx, const Section& storage, const std::string& node,
                        const std::string& volname, const std::string& url, const std::string& algorithm,
                        const std::string& checksum) {
  const std::string content = volname.substr(0, volname.find('/'));
  const std::string dest = ContentDir(storage, content) + "/" + volname.substr(volname.find('/') + 1);
  const uint64_t size = SimulatedSize(content, url);
  static const std::regex host_re("^https?://([^/:]+)");
  std::smatch m;
  const std::string host = std::regex_search(url, m, host_re) ? m[1].str() : "localhost";
  const std::string tmp = dest + ".tmp_dwnl." + std::to_string(ctx.Record().pid);
  ctx.Log("downloading " + url + " to " + dest);
  ctx.Log("--" + WgetStamp() + "--  " + url);
  ctx.Log("Resolving " + host + " (" + host + ")... 192.0.2.80");
  ctx.Log("Connecting to " + host + " (" + host + ")|192.0.2.80|:" + (url.starts_with("https") ? "443" : "80") +
          "... connected.");
  ctx.Log("HTTP request sent, awaiting response... 200 OK");
  ctx.Log("Length: " + std::to_string(size) + " (" + HumanMiB(size) + ") [application/octet-stream]");
  ctx.Log("Saving to: '" + tmp + "'");
  // wget's dot progress: a line per quarter, the percentage the task waiter shows.
  for (int pct : {25, 50, 75, 100}) {
    if (!ctx.Sleep(std::chrono::milliseconds(10))) return Die("download interrupted");
    const uint64_t kib = size / 1024 * static_cast<uint64_t>(pct) / 100;
    ctx.Log(std::string(8 - std::min<size_t>(8, std::to_string(kib).size()), ' ') + std::to_string(kib) +
            "K ........ ........ ........ ........ ........ ........ " + std::to_string(pct) + "%  112M " +
            (pct == 100 ? "0s" : std::to_string((100 - pct) / 25) + "s"));
  }
  if (auto st = ctx.Work(); !st) return st;
  ctx.Log("");
  ctx.Log(WgetStamp() + " (112 MB/s) - '" + tmp + "' saved [" + std::to_string(size) + "/" + std::to_string(size) + "]");
  ctx.Log("");
  if (!checksum.empty()) {
    auto got = HexDigest(algorithm, SimulatedBytes(url));
    if (!got) return Die("unknown checksum algorithm '" + algorithm + "'");
    std::string want = checksum;
    for (char& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (*got != want) {
      ctx.Log("calculating checksum...");
      return Die("checksum mismatch: got '" + *got + "' != expect '" + want + "'");
    }
    ctx.Log("calculating checksum...OK, checksum verified");
  }
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    StoredFiles(sim, storage, node)[volname] = {{"content", content}, {"format", ContentFormat(volname)},
                                                {"size", size}, {"ctime", Now()}, {"source", url}};
  }
  sim.MarkDirty();
  ctx.Log("download of '" + url + "' to '" + dest + "' finished");
  return Ok();
}

std::optional<uint64_t> StoredVolumeSize(Simulator& sim, const std::string& volid, const std::string& node) {
  auto colon = volid.find(':');
  if (colon == std::string::npos) return std::nullopt;
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(volid.substr(0, colon));
  if (!s) return std::nullopt;
  std::lock_guard<std::mutex> lock(sim.mu());
  const nlohmann::json& files = StoredFiles(sim, *s, node);
  auto it = files.find(volid.substr(colon + 1));
  if (it == files.end()) return std::nullopt;
  return it->value("size", uint64_t{0});
}

}  // namespace pvesim
