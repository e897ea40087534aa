/* <errno.h> of KP-C: errno is one int per runtime, kept by the kernel (Linux's numbers). */
#ifndef __KPLUG_ERRNO_H
#define __KPLUG_ERRNO_H
int *__errno_location(void);
#define errno (*__errno_location())
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EEXIST 17
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define EDOM 33
#define ERANGE 34
#define EOVERFLOW 75
#define EILSEQ 84
#endif
