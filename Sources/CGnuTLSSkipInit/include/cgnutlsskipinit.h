#ifndef CGNUTLSSKIPINIT_H
#define CGNUTLSSKIPINIT_H
// Nothing to call: GnuTLS's constructor calls the function of skip_init.c.
#endif
