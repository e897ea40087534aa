#include <stdio.h>

#define FEATURE_A 1
#define FEATURE_B 0
#define LEVEL 3
#define NAME_DEFINED

int main(void) {
  int score = 0;
#if FEATURE_A
  printf("feature A on\n");
  score += 1;
#endif
#if FEATURE_B
  printf("feature B on\n");
  score += 100;
#else
  printf("feature B off\n");
  score += 2;
#endif
#ifdef NAME_DEFINED
  score += 4;
#endif
#ifndef NOT_DEFINED
  score += 8;
#endif
#if LEVEL > 5
  printf("high\n");
#elif LEVEL > 2
  printf("medium\n");
  score += 16;
#elif LEVEL > 0
  printf("low\n");
#else
  printf("none\n");
#endif
#if defined(FEATURE_A) && !defined(FEATURE_C)
  score += 32;
#endif
#if defined FEATURE_B || 0
  score += 64;
#endif
#if UNDEFINED_MACRO == 0
  printf("undefined identifiers are 0 in #if\n");
#endif
#if (LEVEL * 2 + 1) % 7 == 0 && (1 << 4) == 16 && -1 < 0
  printf("arithmetic in #if works\n");
#endif
#if 0
  this is not even valid C but it is skipped
  #error should not trigger
#endif
#if 1
#if 0
  score += 1000;
#else
  score += 128;
#endif
#endif
#if 0x10 == 16 && 010 == 8
  printf("hex and octal in #if\n");
#endif
#if LEVEL == 3 ? 1 : 0
  printf("ternary in #if\n");
#endif
  printf("score=%d\n", score);
  return score;
}
