// GnuTLS is in OrderFlow's processes only because libpq links OpenLDAP (for ldap:// service lookups); they speak TLS
// through OpenSSL. Yet GnuTLS initialises itself in its library constructor: p11-kit's modules, its algorithm and
// ASN.1 tables, ~0.9 MiB of resident memory for nothing. Its constructor first asks this weak, exported function
// whether to skip; the executable's definition takes the library's place (Package.swift exports it). Unlike
// GNUTLS_NO_IMPLICIT_INIT=1, it needs no environment set before the process starts. OpenLDAP initialises GnuTLS
// explicitly should it ever need it.
__attribute__((visibility("default"))) int _gnutls_global_init_skip(void) { return 1; }
