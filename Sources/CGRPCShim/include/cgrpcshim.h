#ifndef CGRPCSHIM_H
#define CGRPCSHIM_H
/* Placeholder: the gRPC-core shim API is declared here. */
int cgrpc_shim_version(void);
#endif
