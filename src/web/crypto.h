/* SubtleCrypto's primitives (crypto_ops.c, keys in crypto_keys.c) and the job that carries one
   operation to them from JS (crypto.c). Nothing in crypto_ops.c or crypto_keys.c touches JS: a job
   runs the same on the JS thread or on a libuv pool thread. */
#ifndef EDDY_WEB_CRYPTO_H
#define EDDY_WEB_CRYPTO_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

/* Key material behind a CryptoKey: a secret (AES, HMAC, PBKDF2, HKDF) or an asymmetric key.
   Immutable once made, shared by reference between the JS handle and the jobs that use it, so a
   key garbage-collected while a job runs stays alive until the job is done. Any thread. */
typedef struct {
  atomic_int refs;
  EVP_PKEY *pkey; /* asymmetric keys; NULL for a secret */
  int is_private; /* pkey holds a private key (a public key's pkey never does) */
  uint8_t *secret; /* secret keys: malloc'd (never NULL, even when empty), cleansed when freed */
  size_t len;
} ck_key;

ck_key *ck_key_secret(const uint8_t *p, size_t len); /* copies p; NULL on ENOMEM */
ck_key *ck_key_pkey(EVP_PKEY *pkey, int is_private); /* takes pkey (freed on failure) */
void ck_key_ref(ck_key *k);
void ck_key_unref(ck_key *k);

/* The operations, in the order of crypto.c's signature table (and src/js/subtle.js's OP). */
enum {
  CK_DIGEST = 1,
  CK_HMAC_SIGN,
  CK_HMAC_VERIFY,
  CK_SIGN,
  CK_VERIFY,
  CK_AES_CBC,
  CK_AES_CTR,
  CK_AES_GCM,
  CK_AES_KW,
  CK_RSA_OAEP,
  CK_PBKDF2,
  CK_HKDF,
  CK_DH,
  CK_GEN_SECRET,
  CK_GEN_RSA,
  CK_GEN_EC,
  CK_GEN_OKP,
  CK_IMPORT_SECRET,
  CK_IMPORT_SPKI,
  CK_IMPORT_PKCS8,
  CK_IMPORT_EC_RAW,
  CK_IMPORT_OKP_RAW,
  CK_IMPORT_RSA_JWK,
  CK_IMPORT_EC_JWK,
  CK_IMPORT_OKP_JWK,
  CK_EXPORT_SECRET,
  CK_EXPORT_SPKI,
  CK_EXPORT_PKCS8,
  CK_EXPORT_RAW,
  CK_EXPORT_JWK,
  CK_OP_COUNT
};

/* Hashes (CK_SHA1 … CK_SHA512), curves and the CFRG key types, as subtle.js numbers them. */
enum { CK_SHA1 = 1, CK_SHA256, CK_SHA384, CK_SHA512 };
enum { CK_P256 = 1, CK_P384, CK_P521 };
enum { CK_ED25519 = 1, CK_X25519, CK_ED448, CK_X448 };
/* Signature schemes of CK_SIGN / CK_VERIFY. */
enum { CK_RSASSA = 1, CK_RSAPSS, CK_ECDSA, CK_EDDSA };
/* Key families an imported SPKI / PKCS#8 turned out to hold (CK_IMPORT_SPKI's rn[0]). */
enum { CK_KIND_OTHER = 0, CK_KIND_RSA, CK_KIND_EC, CK_KIND_OKP };

/* The DOMException a failed job rejects with (its name; the message says why). */
enum { CK_OK = 0, CK_OPERATION, CK_DATA, CK_NOTSUP, CK_ACCESS, CK_NOMEM, CK_ABORTED };

#define CK_MAX_BYTES 8
#define CK_MAX_OUT 8

typedef struct {
  const uint8_t *p; /* borrowed from JS while the job runs inline, else `owned` */
  size_t len;
  uint8_t *owned;
  int present; /* a 'B' argument that was null/undefined has present 0 */
} ck_bytes;

typedef struct {
  int op;
  /* Inputs, in argument order by kind (see crypto.c's signature table). */
  uint32_t n[6];
  ck_bytes b[CK_MAX_BYTES];
  ck_key *k[2]; /* referenced */
  atomic_int abort; /* set at engine close: long loops stop early (CK_ABORTED) */

  /* Outputs. */
  int err;
  const char *msg; /* static text for err */
  uint8_t *out[CK_MAX_OUT]; /* malloc'd; NULL for an absent JWK member */
  size_t out_len[CK_MAX_OUT];
  int nout;
  int verified; /* CK_*_VERIFY */
  ck_key *rk[2]; /* new keys (private first for pairs), owned until handed to JS */
  uint32_t rn[2]; /* import facts: family, curve / modulus bits */
} ck_job;

/* Runs j (any thread, no JS). Sets j->err/j->msg on failure and returns j->err. */
int ck_run(ck_job *j);
/* Whether j is worth a pool thread (RSA key generation, many PBKDF2 iterations, large inputs). */
int ck_is_heavy(const ck_job *j);
/* Frees j's inputs and outputs (not j). */
void ck_job_clear(ck_job *j);
/* Fills p with len bytes from OpenSSL's CSPRNG. 0 or -1. */
int ck_random(uint8_t *p, size_t len);

/* ---- shared by crypto_ops.c and crypto_keys.c ---------------------------------------------- */

/* Sets j->err and j->msg (and clears OpenSSL's error queue); returns err. */
int ck_fail(ck_job *j, int err, const char *msg);
int ck_nomem(ck_job *j);
/* The engine closed: long loops stop. */
int ck_aborted(ck_job *j);
/* Appends an output of len bytes, uninitialised (NULL on ENOMEM); an absent one; a copy of
   OpenSSL-allocated DER (which it frees); a big-endian integer, minimal or padded to pad bytes. */
uint8_t *ck_out_new(ck_job *j, size_t len);
void ck_out_none(ck_job *j);
int ck_out_der(ck_job *j, unsigned char *der, int n);
int ck_out_bn(ck_job *j, const BIGNUM *bn, size_t pad);
const char *ck_curve_name(uint32_t curve); /* "P-256"…, NULL if unknown */
size_t ck_curve_bytes(uint32_t curve);     /* field and order size in bytes */
const char *ck_okp_name(uint32_t type);    /* OpenSSL's name of a CFRG key type */

/* The key operations of crypto_keys.c, each for the CK_* of its name. */
int ck_gen_secret(ck_job *j);
int ck_gen_rsa(ck_job *j);
int ck_gen_ec(ck_job *j);
int ck_gen_okp(ck_job *j);
int ck_import_spki(ck_job *j);
int ck_import_pkcs8(ck_job *j);
int ck_import_ec_raw(ck_job *j);
int ck_import_okp_raw(ck_job *j);
int ck_import_rsa_jwk(ck_job *j);
int ck_import_ec_jwk(ck_job *j);
int ck_import_okp_jwk(ck_job *j);
int ck_export_spki(ck_job *j);
int ck_export_pkcs8(ck_job *j);
int ck_export_raw(ck_job *j);
int ck_export_jwk(ck_job *j);

#endif
