#include "sim/pvesim/tls_cert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
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

}  // namespace pvesim
