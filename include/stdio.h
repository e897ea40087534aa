/* <stdio.h> of KP-C (wasm32, ILP32): its functions are host functions of the kplug kernel.
   The streams are stdin, stdout and stderr; plugins have no files (fopen fails, errno set). */
#ifndef __KPLUG_STDIO_H
#define __KPLUG_STDIO_H
#ifndef __KPLUG_SIZE_T
#define __KPLUG_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef __KPLUG_VA_LIST
#define __KPLUG_VA_LIST
typedef char *__gnuc_va_list;
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
#define EOF (-1)
#define BUFSIZ 8192
#define FILENAME_MAX 4096
#define FOPEN_MAX 16
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
typedef struct __kplug_file FILE;
#define stdin ((FILE *)1)
#define stdout ((FILE *)2)
#define stderr ((FILE *)3)
int printf(const char *format, ...);
int fprintf(FILE *stream, const char *format, ...);
int sprintf(char *buffer, const char *format, ...);
int snprintf(char *buffer, size_t size, const char *format, ...);
int vprintf(const char *format, __gnuc_va_list ap);
int vfprintf(FILE *stream, const char *format, __gnuc_va_list ap);
int vsprintf(char *buffer, const char *format, __gnuc_va_list ap);
int vsnprintf(char *buffer, size_t size, const char *format, __gnuc_va_list ap);
int scanf(const char *format, ...);
int fscanf(FILE *stream, const char *format, ...);
int sscanf(const char *s, const char *format, ...);
int vscanf(const char *format, __gnuc_va_list ap);
int vfscanf(FILE *stream, const char *format, __gnuc_va_list ap);
int vsscanf(const char *s, const char *format, __gnuc_va_list ap);
int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int fputs(const char *s, FILE *stream);
size_t fwrite(const void *p, size_t size, size_t count, FILE *stream);
int fflush(FILE *stream);
int getchar(void);
int fgetc(FILE *stream);
int getc(FILE *stream);
int ungetc(int c, FILE *stream);
char *fgets(char *s, int n, FILE *stream);
size_t fread(void *p, size_t size, size_t count, FILE *stream);
int feof(FILE *stream);
int ferror(FILE *stream);
void clearerr(FILE *stream);
FILE *fopen(const char *path, const char *mode);
int fclose(FILE *stream);
void perror(const char *s);
#endif
