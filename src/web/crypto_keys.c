/* SubtleCrypto's keys on OpenSSL 3: generation, import (SPKI, PKCS#8, JWK members, raw points and
   CFRG keys) and export, for the jobs of crypto_ops.c (the contract is in crypto.h). Pure C, no JS.

   Keys come in through OpenSSL's own decoders (d2i_PUBKEY, PKCS#8) or from their parameters
   (EVP_PKEY_fromdata), and are checked as the specification asks: the whole input must parse, EC
   points must be on their named curve, a private key must match the public key that comes with
   it. Every EC key is made to export uncompressed points, whatever form it came in. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto.h"

/* ---- key generation ------------------------------------------------------------------------- */

/* A key of the public half only, for the public CryptoKey of a pair. */
static EVP_PKEY *public_half(EVP_PKEY *pk) {
  unsigned char *der = NULL;
  int n = i2d_PUBKEY(pk, &der);
  if (n <= 0) return NULL;
  const unsigned char *p = der;
  EVP_PKEY *pub = d2i_PUBKEY(NULL, &p, n);
  OPENSSL_free(der);
  return pub;
}

static int keypair(ck_job *j, EVP_PKEY *pk) {
  EVP_PKEY *pub = public_half(pk);
  if (!pub) {
    EVP_PKEY_free(pk);
    return ck_fail(j, CK_OPERATION, "key generation failed");
  }
  j->rk[0] = ck_key_pkey(pk, 1);
  j->rk[1] = ck_key_pkey(pub, 0);
  return j->rk[0] && j->rk[1] ? 0 : ck_nomem(j);
}

static int on_keygen_progress(EVP_PKEY_CTX *pc) {
  ck_job *j = EVP_PKEY_CTX_get_app_data(pc);
  return !ck_aborted(j);
}

int ck_gen_rsa(ck_job *j) {
  uint32_t bits = j->n[0];
  const ck_bytes *e = &j->b[0];
  size_t skip = 0;
  while (skip < e->len && e->p[skip] == 0) skip++;
  /* An even or unit exponent has no RSA key (OpenSSL would search for primes forever). */
  if (e->len - skip == 0 || e->len - skip > 32 || !(e->p[e->len - 1] & 1) ||
      (e->len - skip == 1 && e->p[e->len - 1] == 1))
    return ck_fail(j, CK_OPERATION, "the public exponent must be odd and greater than 1");
  if (bits < 512 || bits > 16384)
    return ck_fail(j, CK_OPERATION, "modulusLength must be between 512 and 16384 bits");
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
  BIGNUM *bn = BN_bin2bn(e->p + skip, (int)(e->len - skip), NULL);
  EVP_PKEY *pk = NULL;
  int ok = pc && bn && EVP_PKEY_keygen_init(pc) > 0 &&
           EVP_PKEY_CTX_set_rsa_keygen_bits(pc, (int)bits) > 0 &&
           EVP_PKEY_CTX_set1_rsa_keygen_pubexp(pc, bn) > 0;
  if (ok) {
    EVP_PKEY_CTX_set_app_data(pc, j);
    EVP_PKEY_CTX_set_cb(pc, on_keygen_progress);
    ok = EVP_PKEY_generate(pc, &pk) > 0;
  }
  BN_free(bn);
  EVP_PKEY_CTX_free(pc);
  if (ck_aborted(j)) {
    EVP_PKEY_free(pk);
    return ck_fail(j, CK_ABORTED, "the engine closed");
  }
  if (!ok) return ck_fail(j, CK_OPERATION, "RSA key generation failed");
  return keypair(j, pk);
}

int ck_gen_ec(ck_job *j) {
  const char *curve = ck_curve_name(j->n[0]);
  if (!curve) return ck_fail(j, CK_NOTSUP, "the curve is not supported");
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  EVP_PKEY *pk = NULL;
  int ok = pc && EVP_PKEY_keygen_init(pc) > 0 && EVP_PKEY_CTX_set_group_name(pc, curve) > 0 &&
           EVP_PKEY_generate(pc, &pk) > 0;
  EVP_PKEY_CTX_free(pc);
  if (!ok) return ck_fail(j, CK_OPERATION, "EC key generation failed");
  return keypair(j, pk);
}

int ck_gen_okp(ck_job *j) {
  const char *name = ck_okp_name(j->n[0]);
  EVP_PKEY *pk = name ? EVP_PKEY_Q_keygen(NULL, NULL, name) : NULL;
  if (!pk) return ck_fail(j, CK_OPERATION, "key generation failed");
  return keypair(j, pk);
}

int ck_gen_secret(ck_job *j) {
  size_t len = j->n[0];
  uint8_t *p = malloc(len ? len : 1);
  if (!p) return ck_nomem(j);
  int ok = ck_random(p, len) == 0;
  if (ok) j->rk[0] = ck_key_secret(p, len);
  OPENSSL_cleanse(p, len);
  free(p);
  if (!ok) return ck_fail(j, CK_OPERATION, "the random generator failed");
  return j->rk[0] ? 0 : ck_nomem(j);
}

/* ---- import --------------------------------------------------------------------------------- */

/* EC keys are exported uncompressed whatever form they came in (OpenSSL would keep the form
   an SPKI or PKCS#8 was written in). */
static int ec_uncompressed(EVP_PKEY *pk) {
  return EVP_PKEY_set_utf8_string_param(pk, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                        OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED);
}

/* What an SPKI / PKCS#8 holds: rn[0] the family, rn[1] the curve, the modulus bits or the CFRG
   type; for RSA out[0] is the public exponent. Takes pk. */
static int classify(ck_job *j, EVP_PKEY *pk, int is_private) {
  uint32_t kind = CK_KIND_OTHER, param = 0;
  if (EVP_PKEY_is_a(pk, "RSA")) {
    BIGNUM *e = NULL;
    kind = CK_KIND_RSA;
    param = (uint32_t)EVP_PKEY_get_bits(pk);
    if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
      EVP_PKEY_free(pk);
      return ck_fail(j, CK_DATA, "invalid RSA key");
    }
    int st = ck_out_bn(j, e, 0);
    BN_free(e);
    if (st) {
      EVP_PKEY_free(pk);
      return st;
    }
  } else if (EVP_PKEY_is_a(pk, "EC")) {
    char group[64] = "", encoding[32] = "";
    kind = CK_KIND_EC;
    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, NULL);
    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_EC_ENCODING, encoding, sizeof encoding,
                                   NULL);
    if (strcmp(encoding, OSSL_PKEY_EC_ENCODING_EXPLICIT) != 0) /* a namedCurve only */
      param = !strcmp(group, "prime256v1") ? CK_P256 : !strcmp(group, "secp384r1") ? CK_P384
              : !strcmp(group, "secp521r1")  ? CK_P521
                                             : 0;
    if (param && !ec_uncompressed(pk)) {
      EVP_PKEY_free(pk);
      return ck_fail(j, CK_DATA, "invalid EC key");
    }
  } else {
    static const char *const okp[] = {NULL, "ED25519", "X25519", "ED448", "X448"};
    for (uint32_t t = CK_ED25519; t <= CK_X448; t++)
      if (EVP_PKEY_is_a(pk, okp[t])) kind = CK_KIND_OKP, param = t;
  }
  j->rn[0] = kind;
  j->rn[1] = param;
  j->rk[0] = ck_key_pkey(pk, is_private);
  ERR_clear_error();
  return j->rk[0] ? 0 : ck_nomem(j);
}

int ck_import_spki(ck_job *j) {
  const ck_bytes *d = &j->b[0];
  const unsigned char *p = d->p;
  EVP_PKEY *pk = d->len <= LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)d->len) : NULL;
  if (!pk || p != d->p + d->len) {
    EVP_PKEY_free(pk);
    return ck_fail(j, CK_DATA, "invalid SubjectPublicKeyInfo");
  }
  return classify(j, pk, 0);
}

int ck_import_pkcs8(ck_job *j) {
  const ck_bytes *d = &j->b[0];
  const unsigned char *p = d->p;
  PKCS8_PRIV_KEY_INFO *p8 =
      d->len <= LONG_MAX ? d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)d->len) : NULL;
  EVP_PKEY *pk = p8 && p == d->p + d->len ? EVP_PKCS82PKEY(p8) : NULL;
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (!pk) return ck_fail(j, CK_DATA, "invalid PrivateKeyInfo");
  return classify(j, pk, 1);
}

/* A key from OSSL_PARAMs (JWK and raw EC imports); NULL on invalid material. */
static EVP_PKEY *from_params(const char *type, int selection, OSSL_PARAM_BLD *b) {
  OSSL_PARAM *ps = b ? OSSL_PARAM_BLD_to_param(b) : NULL;
  EVP_PKEY_CTX *pc = ps ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
  EVP_PKEY *pk = NULL;
  if (!pc || EVP_PKEY_fromdata_init(pc) <= 0 || EVP_PKEY_fromdata(pc, &pk, selection, ps) <= 0) {
    EVP_PKEY_free(pk);
    pk = NULL;
  }
  EVP_PKEY_CTX_free(pc);
  OSSL_PARAM_free(ps);
  return pk;
}

/* OpenSSL's own check of a key: public_check for a public key, pairwise for a private one. */
static int key_valid(EVP_PKEY *pk, int is_private) {
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
  int ok = pc && (is_private ? EVP_PKEY_pairwise_check(pc) : EVP_PKEY_public_check(pc)) == 1;
  EVP_PKEY_CTX_free(pc);
  return ok;
}

int ck_import_ec_raw(ck_job *j) {
  const char *curve = ck_curve_name(j->n[0]);
  const ck_bytes *pt = &j->b[0];
  OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
  EVP_PKEY *pk = NULL;
  if (curve && b && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) &&
      OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                      OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED, 0) &&
      OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt->p, pt->len))
    pk = from_params("EC", EVP_PKEY_PUBLIC_KEY, b);
  OSSL_PARAM_BLD_free(b);
  if (!pk || !key_valid(pk, 0)) {
    EVP_PKEY_free(pk);
    return ck_fail(j, CK_DATA, "not a point on the curve");
  }
  j->rk[0] = ck_key_pkey(pk, 0);
  return j->rk[0] ? 0 : ck_nomem(j);
}

int ck_import_okp_raw(ck_job *j) {
  const char *name = ck_okp_name(j->n[0]);
  const ck_bytes *d = &j->b[0];
  EVP_PKEY *pk = name ? EVP_PKEY_new_raw_public_key_ex(NULL, name, NULL, d->p, d->len) : NULL;
  if (!pk) return ck_fail(j, CK_DATA, "invalid public key");
  j->rk[0] = ck_key_pkey(pk, 0);
  return j->rk[0] ? 0 : ck_nomem(j);
}

static BIGNUM *bn_of(const ck_bytes *b) {
  return b->present && b->len <= INT_MAX ? BN_bin2bn(b->p, (int)b->len, NULL) : NULL;
}

/* The consistency RSA_check_key makes of a private key, short of primality: n = pq, the CRT
   exponents and coefficient belong to d, p and q, and e·d = 1 mod p-1 and mod q-1. */
static int rsa_consistent(BIGNUM *const v[8]) {
  BIGNUM *n = v[0], *e = v[1], *d = v[2], *p = v[3], *q = v[4], *dp = v[5], *dq = v[6], *qi = v[7];
  BN_CTX *ctx = BN_CTX_new();
  BIGNUM *t = BN_new(), *p1 = BN_new(), *q1 = BN_new();
  int ok = ctx && t && p1 && q1 && BN_mul(t, p, q, ctx) && !BN_cmp(t, n) &&
           BN_sub(p1, p, BN_value_one()) && BN_sub(q1, q, BN_value_one()) &&
           BN_mod(t, d, p1, ctx) && !BN_cmp(t, dp) && BN_mod(t, d, q1, ctx) && !BN_cmp(t, dq) &&
           BN_mod_mul(t, e, dp, p1, ctx) && BN_is_one(t) && BN_mod_mul(t, e, dq, q1, ctx) &&
           BN_is_one(t) && BN_mod_mul(t, qi, q, p, ctx) && BN_is_one(t);
  BN_free(t);
  BN_free(p1);
  BN_free(q1);
  BN_CTX_free(ctx);
  return ok;
}

int ck_import_rsa_jwk(ck_job *j) {
  static const char *const names[8] = {
      OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,         OSSL_PKEY_PARAM_RSA_D,
      OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
      OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
  int is_private = j->b[2].present;
  int count = is_private ? 8 : 2;
  BIGNUM *v[8] = {0};
  OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
  int ok = b != NULL;
  for (int i = 0; ok && i < count; i++)
    ok = (v[i] = bn_of(&j->b[i])) != NULL && OSSL_PARAM_BLD_push_BN(b, names[i], v[i]);
  /* e odd and > 1, n odd and larger than e */
  ok = ok && BN_is_odd(v[1]) && !BN_is_one(v[1]) && BN_is_odd(v[0]) && BN_cmp(v[0], v[1]) > 0;
  if (ok && is_private) ok = rsa_consistent(v);
  EVP_PKEY *pk = ok ? from_params("RSA", is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, b)
                    : NULL;
  OSSL_PARAM_BLD_free(b);
  for (int i = 0; i < 8; i++) BN_clear_free(v[i]);
  if (!pk) return ck_fail(j, CK_DATA, "invalid RSA key");
  return classify(j, pk, is_private);
}

int ck_import_ec_jwk(ck_job *j) {
  uint32_t curve = j->n[0];
  const ck_bytes *x = &j->b[0], *y = &j->b[1], *d = &j->b[2];
  size_t n = ck_curve_bytes(curve);
  if (!n || x->len != n || y->len != n || (d->present && d->len != n))
    return ck_fail(j, CK_DATA, "the key's coordinates do not have the curve's length");
  uint8_t pt[1 + 2 * 66];
  pt[0] = 4;
  memcpy(pt + 1, x->p, n);
  memcpy(pt + 1 + n, y->p, n);
  BIGNUM *priv = d->present ? bn_of(d) : NULL;
  OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
  EVP_PKEY *pk = NULL;
  if (b && (!d->present || priv) &&
      OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, ck_curve_name(curve), 0) &&
      OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                      OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED, 0) &&
      OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * n) &&
      (!priv || OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, priv)))
    pk = from_params("EC", priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, b);
  OSSL_PARAM_BLD_free(b);
  BN_clear_free(priv);
  if (!pk || !key_valid(pk, d->present)) {
    EVP_PKEY_free(pk);
    return ck_fail(j, CK_DATA, d->present ? "the private key does not match the public key"
                                       : "not a point on the curve");
  }
  j->rk[0] = ck_key_pkey(pk, d->present);
  return j->rk[0] ? 0 : ck_nomem(j);
}

int ck_import_okp_jwk(ck_job *j) {
  const char *name = ck_okp_name(j->n[0]);
  const ck_bytes *x = &j->b[0], *d = &j->b[1];
  if (!name) return ck_fail(j, CK_DATA, "unsupported curve");
  EVP_PKEY *pk;
  if (d->present) {
    pk = EVP_PKEY_new_raw_private_key_ex(NULL, name, NULL, d->p, d->len);
    uint8_t pub[64];
    size_t len = sizeof pub;
    if (pk && (!EVP_PKEY_get_raw_public_key(pk, pub, &len) || len != x->len ||
               CRYPTO_memcmp(pub, x->p, len) != 0)) {
      EVP_PKEY_free(pk);
      return ck_fail(j, CK_DATA, "the private key does not match the public key");
    }
  } else {
    pk = EVP_PKEY_new_raw_public_key_ex(NULL, name, NULL, x->p, x->len);
  }
  if (!pk) return ck_fail(j, CK_DATA, "invalid key");
  j->rk[0] = ck_key_pkey(pk, d->present);
  return j->rk[0] ? 0 : ck_nomem(j);
}

/* ---- export --------------------------------------------------------------------------------- */

int ck_export_spki(ck_job *j) {
  const ck_key *key = j->k[0];
  if (!key->pkey) return ck_fail(j, CK_ACCESS, "not an asymmetric key");
  unsigned char *der = NULL;
  int n = i2d_PUBKEY(key->pkey, &der);
  return ck_out_der(j, der, n);
}

int ck_export_pkcs8(ck_job *j) {
  const ck_key *key = j->k[0];
  if (!key->pkey || !key->is_private) return ck_fail(j, CK_ACCESS, "not a private key");
  PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key->pkey);
  unsigned char *der = NULL;
  int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
  PKCS8_PRIV_KEY_INFO_free(p8);
  return ck_out_der(j, der, n);
}

/* The EC public point, uncompressed, or the CFRG public key. */
static int export_public(ck_job *j, EVP_PKEY *pk, int point) {
  if (EVP_PKEY_is_a(pk, "EC")) {
    size_t n = (size_t)(EVP_PKEY_get_bits(pk) + 7) / 8;
    BIGNUM *x = NULL, *y = NULL;
    int st = 0;
    if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) {
      st = ck_fail(j, CK_OPERATION, "the key has no public point");
    } else if (point) {
      uint8_t *o = ck_out_new(j, 1 + 2 * n);
      if (!o) {
        st = ck_nomem(j);
      } else {
        o[0] = 4;
        if (BN_bn2binpad(x, o + 1, (int)n) < 0 || BN_bn2binpad(y, o + 1 + n, (int)n) < 0)
          st = ck_fail(j, CK_OPERATION, "the key could not be encoded");
      }
    } else {
      st = ck_out_bn(j, x, n) || ck_out_bn(j, y, n);
    }
    BN_free(x);
    BN_free(y);
    return st;
  }
  size_t len = 0;
  uint8_t *o;
  if (!EVP_PKEY_get_raw_public_key(pk, NULL, &len) || !(o = ck_out_new(j, len)) ||
      !EVP_PKEY_get_raw_public_key(pk, o, &len))
    return ck_fail(j, CK_NOTSUP, "the key has no raw form");
  return 0;
}

int ck_export_raw(ck_job *j) {
  const ck_key *key = j->k[0];
  if (key->secret) {
    uint8_t *o = ck_out_new(j, key->len);
    if (!o) return ck_nomem(j);
    if (key->len) memcpy(o, key->secret, key->len);
    return 0;
  }
  return export_public(j, key->pkey, 1);
}

/* JWK members as bytes: RSA n e [d p q dp dq qi]; EC x y [d]; CFRG x [d]. */
int ck_export_jwk(ck_job *j) {
  const ck_key *key = j->k[0];
  EVP_PKEY *pk = key->pkey;
  if (!pk) return ck_fail(j, CK_ACCESS, "not an asymmetric key");
  if (EVP_PKEY_is_a(pk, "RSA")) {
    static const char *const names[8] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,         OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    for (int i = 0; i < (key->is_private ? 8 : 2); i++) {
      BIGNUM *v = NULL;
      if (!EVP_PKEY_get_bn_param(pk, names[i], &v)) {
        if (i < 3) return ck_fail(j, CK_OPERATION, "the key could not be encoded");
        ck_out_none(j);
        continue;
      }
      int st = ck_out_bn(j, v, 0);
      BN_clear_free(v);
      if (st) return st;
    }
    ERR_clear_error();
    return 0;
  }
  if (export_public(j, pk, 0)) return j->err;
  if (!key->is_private) return 0;
  if (EVP_PKEY_is_a(pk, "EC")) {
    BIGNUM *d = NULL;
    if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_PRIV_KEY, &d))
      return ck_fail(j, CK_OPERATION, "the key could not be encoded");
    int st = ck_out_bn(j, d, (size_t)(EVP_PKEY_get_bits(pk) + 7) / 8);
    BN_clear_free(d);
    return st;
  }
  size_t len = 0;
  uint8_t *o;
  if (!EVP_PKEY_get_raw_private_key(pk, NULL, &len) || !(o = ck_out_new(j, len)) ||
      !EVP_PKEY_get_raw_private_key(pk, o, &len))
    return ck_fail(j, CK_OPERATION, "the key could not be encoded");
  return 0;
}
