// expect: 3:11: warning: conversion
int main(void) {
  int x = 3.5;
  return x;
}
