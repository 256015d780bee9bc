#include "sim/pvesim/tls_cert.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>

namespace pvesim {
namespace {

struct FileCloser { void operator()(FILE* f) const { if (f) std::fclose(f); } };
struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct PkeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct ExtFree { void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); } };
using File = std::unique_ptr<FILE, FileCloser>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

X509Ptr ReadCert(const std::string& path) {
  File f(std::fopen(path.c_str(), "r"));
  if (!f) return nullptr;
  return X509Ptr(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
}

bool KeyReadable(const std::string& path) {
  File f(std::fopen(path.c_str(), "r"));
  if (!f) return false;
  PkeyPtr key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
  return key != nullptr;
}

std::string Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  std::string out;
  char buf[4];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02X", md[i]);
    if (i) out += ':';
    out += buf;
  }
  return out;
}

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Result<TlsFiles> Generate(const std::string& cert_file, const std::string& key_file) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Die("unable to generate the TLS key");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  // A random serial, as pvecm's certificates have.
  unsigned char serial[16];
  FILE* urandom = std::fopen("/dev/urandom", "rb");
  if (!urandom || std::fread(serial, 1, sizeof serial, urandom) != sizeof serial) {
    if (urandom) std::fclose(urandom);
    return Die("unable to read /dev/urandom");
  }
  std::fclose(urandom);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365 * 2);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("PVE Cluster Node"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!AddExtension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost") ||
      !AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE")) {
    return Die("unable to add certificate extensions");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return Die("unable to sign the certificate");

  {
    int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return Die("unable to write '" + key_file + "'");
    File f(::fdopen(fd, "w"));
    if (!f || PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      return Die("unable to write '" + key_file + "'");
  }
  {
    File f(std::fopen(cert_file.c_str(), "w"));
    if (!f || PEM_write_X509(f.get(), cert.get()) != 1) return Die("unable to write '" + cert_file + "'");
  }
  return TlsFiles{cert_file, key_file, Fingerprint(cert.get())};
}

}  // namespace

Result<TlsFiles> EnsureCertificate(const std::string& cert_file, const std::string& key_file) {
  if (X509Ptr cert = ReadCert(cert_file); cert && KeyReadable(key_file)) {
    return TlsFiles{cert_file, key_file, Fingerprint(cert.get())};
  }
  return Generate(cert_file, key_file);
}

Result<std::string> CertificateFingerprint(const std::string& cert_file) {
  X509Ptr cert = ReadCert(cert_file);
  if (!cert) return Die("unable to read certificate '" + cert_file + "'");
  return Fingerprint(cert.get());
}

namespace {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;

X509Ptr TlsCertFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

PkeyPtr TlsKeyFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

std::string TlsBioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

// X509_NAME_print_ex with OpenSSL's one-line form ("/CN=a/O=b" as Net::SSLeay's X509_NAME_oneline gives).
std::string TlsNameText(X509_NAME* name) {
  char buf[512];
  X509_NAME_oneline(name, buf, sizeof buf);
  return buf;
}

long long TlsTimeOf(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<long long>(timegm(&tm));
}

std::string TlsPemOf(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return TlsBioText(bio.get());
}

X509Ptr TlsNewCert(EVP_PKEY* pub, const std::string& subject_cn, X509_NAME* issuer, int days) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  FILE* urandom = std::fopen("/dev/urandom", "rb");
  if (!urandom) return nullptr;
  const bool read = std::fread(serial, 1, sizeof serial, urandom) == sizeof serial;
  std::fclose(urandom);
  if (!read) return nullptr;
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * days);
  X509_set_pubkey(cert.get(), pub);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? issuer : name);
  return cert;
}

}  // namespace

Result<CertificateInfo> InspectCertificatePem(const std::string& pem) {
  X509Ptr cert = TlsCertFromPem(pem);
  if (!cert) return Die("unable to parse certificate");
  CertificateInfo info;
  info.fingerprint = Fingerprint(cert.get());
  info.subject = TlsNameText(X509_get_subject_name(cert.get()));
  info.issuer = TlsNameText(X509_get_issuer_name(cert.get()));
  info.notbefore = TlsTimeOf(X509_get0_notBefore(cert.get()));
  info.notafter = TlsTimeOf(X509_get0_notAfter(cert.get()));
  info.pem = TlsPemOf(cert.get());
  if (EVP_PKEY* key = X509_get0_pubkey(cert.get())) {
    info.public_key_bits = EVP_PKEY_get_bits(key);
    const int id = EVP_PKEY_get_base_id(key);
    info.public_key_type = id == EVP_PKEY_RSA ? "rsaEncryption" : id == EVP_PKEY_EC ? "id-ecPublicKey" : OBJ_nid2sn(id);
  }
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      const ASN1_STRING* s = n->d.dNSName;
      info.san.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s)));
    }
  }
  GENERAL_NAMES_free(names);
  return info;
}

Status CheckKeyMatches(const std::string& chain_pem, const std::string& key_pem) {
  X509Ptr cert = TlsCertFromPem(chain_pem);
  if (!cert) return Die("unable to parse certificate");
  PkeyPtr key = TlsKeyFromPem(key_pem);
  if (!key) return Die("unable to parse private key");
  if (X509_check_private_key(cert.get(), key.get()) != 1) return Die("private key does not match the certificate");
  return Ok();
}

Result<std::pair<std::string, std::string>> IssueCertificate(const std::vector<std::string>& domains,
                                                             const std::string& issuer_cn, int days) {
  if (domains.empty()) return Die("no domains to issue a certificate for");
  PkeyPtr ca_key(EVP_EC_gen("P-256"));
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!ca_key || !key) return Die("unable to generate a key");
  X509Ptr ca = TlsNewCert(ca_key.get(), issuer_cn, nullptr, days + 365);
  if (!ca || !AddExtension(ca.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      X509_sign(ca.get(), ca_key.get(), EVP_sha256()) == 0)
    return Die("unable to create the issuing CA");
  X509Ptr cert = TlsNewCert(key.get(), domains.front(), X509_get_subject_name(ca.get()), days);
  std::string san;
  for (const auto& d : domains) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  if (!cert || !AddExtension(cert.get(), NID_subject_alt_name, san.c_str()) ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0)
    return Die("unable to sign the certificate");
  BioPtr kbio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(kbio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return std::pair{TlsPemOf(cert.get()) + TlsPemOf(ca.get()), TlsBioText(kbio.get())};
}

}  // namespace pvesim
