/* <assert.h> of KP-C. No include guard: it may be included again after changing NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(expression) ((void)0)
#else
void __assert_fail(const char *expression, const char *file, int line);
#define assert(expression) ((expression) ? (void)0 : __assert_fail(#expression, __FILE__, __LINE__))
#endif
