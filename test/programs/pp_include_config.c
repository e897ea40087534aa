#include <stdio.h>
#include <string.h>
#include "config.h"

int cfg_counter = 0;

static void push(char *buf, const char *s) {
  if (strlen(buf) + strlen(s) < CFG_BUFFER_SIZE) {
    strcat(buf, s);
    cfg_counter++;
  }
}

int main(void) {
  char buf[CFG_BUFFER_SIZE] = "";
  LOG("starting");
  for (int i = 0; i < 20; i++) push(buf, "abcde");
  LOG(buf);
  printf("len=%d pushes=%d\n", (int)strlen(buf), cfg_counter);
  return cfg_counter;
}
