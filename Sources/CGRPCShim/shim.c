#include "cgrpcshim.h"
int cgrpc_shim_version(void) { return 1; }
