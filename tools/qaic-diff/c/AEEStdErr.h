/* The AEE status values qaic-generated C uses (HLOS values), for a Linux host build. */
#ifndef DSPIDL_AEESTDERR_H
#define DSPIDL_AEESTDERR_H
#define AEE_SUCCESS 0
#define AEE_EFAILED 1
#define AEE_ENOMEMORY 2
#define AEE_EBADPARM 14
#define AEE_EUNSUPPORTED 20
#define AEE_EINVHANDLE 44
#define AEE_ESTUBSKELVERMISMATCH 0x194
#endif
