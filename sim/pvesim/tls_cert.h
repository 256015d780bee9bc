// The simulator's self-signed certificate (EC P-256, CN and SAN 127.0.0.1/localhost), generated with
// OpenSSL at first start and kept in the state dir, and its fingerprint in Proxmox's "AB:CD:..." form.
#pragma once

#include <string>
#include <utility>
#include <vector>

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

// What GET /nodes/{node}/certificates/info answers of one certificate (PVE::Certificate::get_certificate_info).
struct CertificateInfo {
  std::string fingerprint, subject, issuer, public_key_type, pem;
  std::vector<std::string> san;  // "DNS:a.example", "IP Address:..." as OpenSSL prints them
  long long notbefore = 0, notafter = 0;
  int public_key_bits = 0;
};

// The first certificate of a PEM chain; an error when it holds none.
Result<CertificateInfo> InspectCertificatePem(const std::string& pem);

// Whether a PEM private key parses and belongs to the first certificate of the chain.
Status CheckKeyMatches(const std::string& chain_pem, const std::string& key_pem);

// A certificate for `domains` (CN the first, SAN all) valid for `days`, signed by a CA key of its own whose
// name is `issuer_cn`: how pvesim stands in for an ACME CA. Returns {chain PEM, key PEM}.
Result<std::pair<std::string, std::string>> IssueCertificate(const std::vector<std::string>& domains,
                                                             const std::string& issuer_cn, int days);

}  // namespace pvesim
