// expect: 3:12: warning: conversion
int main(void) {
  char c = 300;
  return c;
}
