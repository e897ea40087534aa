#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
int main(void){
  const char *v[]={"1e-310","4.9e-324","2e-324","3e-324","1e-400","2.2250738585072011e-308","2.2250738585072014e-308","1e309","0x1p-1074","0x1.8p-1074", "-nan(abc)", "nan(", "0x", "0x.p1", " +.5e", "1e+", "infinity", "infinit", "-INF", "0x1.fffffffffffff8p1023"};
  for(int i=0;i<20;i++){char*e; errno=0; double d=strtod(v[i],&e); printf("%s -> %a %.17g end=%d errno=%d\n",v[i],d,d,(int)(e-v[i]),errno);}
  const char *f[]={"1e-39","1e-46","7e-46","3.4028235e38","3.4028236e38","3.40282357e38","1.00000005960464477539062499","1.000000059604644775390625","1.00000005960464477539062500001"};
  for(int i=0;i<9;i++){char*e; errno=0; float d=strtof(f[i],&e); printf("%s -> %a %.9g end=%d errno=%d\n",f[i],d,d,(int)(e-f[i]),errno);}
  return 0;}
