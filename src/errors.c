/* Status codes: one list (EDDY_ERRNO_MAP in eddy.h) generates the enum and both lookups. */
#include "internal.h"

const char *eddy_strerror(int status) {
  switch (status) {
#define XX(name, value, text) \
  case EDDY_##name:           \
    return text;
    EDDY_ERRNO_MAP(XX)
#undef XX
  }
  return "unknown status";
}

const char *eddy_err_name(int status) {
  switch (status) {
#define XX(name, value, text) \
  case EDDY_##name:           \
    return "EDDY_" #name;
    EDDY_ERRNO_MAP(XX)
#undef XX
  }
  return "EDDY_UNKNOWN";
}

const char *eddy_version(void) { return EDDY_VERSION_STRING; }
int eddy_version_number(void) { return EDDY_VERSION_NUMBER; }
