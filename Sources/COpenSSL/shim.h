// The parts of system OpenSSL 3 (libcrypto) that ZhengxinCrypto uses for SM2, SM3 and SM4.
// OpenSSL is the implementation; nothing cryptographic is written by hand (GB/T 39786-2021
// asks for approved algorithms in vetted implementations).
#ifndef ZHENGXIN_COPENSSL_SHIM_H
#define ZHENGXIN_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/param_build.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

// Compound macros Swift cannot import.
static const int ZX_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;
static const int ZX_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
// OSSL_PARAM_BLD keeps key and string pointers without copying; Swift bridges string macros to
// temporary buffers, so these hand out the static C literals instead.
static inline const char *zx_param_group_name(void) { return OSSL_PKEY_PARAM_GROUP_NAME; }
static inline const char *zx_param_pub_key(void) { return OSSL_PKEY_PARAM_PUB_KEY; }
static inline const char *zx_param_priv_key(void) { return OSSL_PKEY_PARAM_PRIV_KEY; }
static inline const char *zx_sm2_group(void) { return SN_sm2; }
#endif
