// The simulator's self-signed certificate (EC P-256, CN and SAN 127.0.0.1/localhost), generated with
// OpenSSL at first start and kept in the state dir, and its fingerprint in Proxmox's "AB:CD:..." form.
#pragma once

#include <string>

#include "sim/pvesim/error.h"

namespace pvesim {

struct TlsFiles {
  std::string cert_file;    // PEM certificate (also what HAINFRA_CA_FILE points at)
  std::string key_file;     // PEM private key
  std::string fingerprint;  // SHA-256 of the DER certificate, upper-case hex pairs joined by ':'
};

// Reuses cert_file/key_file when both exist and parse, else generates and writes them (key mode 0600).
Result<TlsFiles> EnsureCertificate(const std::string& cert_file, const std::string& key_file);

// The "AB:CD:..." SHA-256 fingerprint of a PEM certificate file.
Result<std::string> CertificateFingerprint(const std::string& cert_file);

}  // namespace pvesim
