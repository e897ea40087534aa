/* no include guard on purpose: included once per program */
#define CFG_BUFFER_SIZE 64
#define CFG_ENABLE_LOG 1
#if CFG_ENABLE_LOG
#define LOG(msg) printf("[log] %s\n", msg)
#else
#define LOG(msg) ((void)0)
#endif
extern int cfg_counter;
